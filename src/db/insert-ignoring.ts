/** Multi-row inserts that leave existing keys alone, for the claim and log tables the batches write. */
import type { QueryInterface, QueryOptions } from 'sequelize';

/** INSERT OR IGNORE / INSERT IGNORE: honoured by the query generator, missing from bulkInsert's typings. */
const IGNORE_DUPLICATES = { ignoreDuplicates: true } as QueryOptions;

export const isForeignKeyViolation = (err: unknown) =>
  (err as { name?: string } | null)?.name === 'SequelizeForeignKeyConstraintError';

/**
 * One multi-row INSERT that leaves existing keys alone. MariaDB's IGNORE also skips rows whose parent was
 * deleted; SQLite's OR IGNORE does not cover foreign keys, so there it falls back to row by row.
 */
export async function insertIgnoring(queryInterface: QueryInterface, table: string, rows: object[]) {
  if (rows.length === 0) return;
  try {
    await queryInterface.bulkInsert(table, rows, IGNORE_DUPLICATES);
  } catch (err) {
    if (!isForeignKeyViolation(err)) throw err;
    for (const row of rows) {
      await queryInterface.bulkInsert(table, [row], IGNORE_DUPLICATES).catch((e: unknown) => {
        if (!isForeignKeyViolation(e)) throw e;
      });
    }
  }
}
