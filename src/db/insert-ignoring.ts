/** Multi-row inserts that leave existing keys alone, for the claim and log tables the batches write. */
import type { QueryInterface, QueryOptions, Transaction } from 'sequelize';

/** INSERT OR IGNORE / INSERT IGNORE: honoured by the query generator, missing from bulkInsert's typings. */
const IGNORE_DUPLICATES = { ignoreDuplicates: true } as QueryOptions;

export const isForeignKeyViolation = (err: unknown) =>
  (err as { name?: string } | null)?.name === 'SequelizeForeignKeyConstraintError';

/**
 * One multi-row INSERT that leaves existing keys alone. MariaDB's IGNORE also skips rows whose parent was
 * deleted; SQLite's OR IGNORE does not cover foreign keys, so there it falls back to row by row.
 */
export async function insertIgnoring(
  queryInterface: QueryInterface,
  table: string,
  rows: object[],
  transaction?: Transaction,
) {
  if (rows.length === 0) return;
  const options = { ...IGNORE_DUPLICATES, transaction };
  try {
    await queryInterface.bulkInsert(table, rows, options);
  } catch (err) {
    if (!isForeignKeyViolation(err)) throw err;
    for (const row of rows) {
      await queryInterface.bulkInsert(table, [row], options).catch((e: unknown) => {
        if (!isForeignKeyViolation(e)) throw e;
      });
    }
  }
}
