import { QueryTypes, type ModelAttributeColumnOptions, type QueryInterface } from 'sequelize';

/**
 * Table rebuilds for SQLite migrations. A rebuild DROPs the table, and with foreign keys on the DROP runs
 * every child's ON DELETE CASCADE / SET NULL. Sequelize's own SQLite changeColumn/removeColumn also rebuild
 * from describeTable() and lose what it cannot express (checked with 6.37.8): ON DELETE actions,
 * AUTOINCREMENT, non-unique indexes, and a composite UNIQUE becomes one UNIQUE per column. Use
 * changeColumnSafely / rebuildSqliteTable inside migrations instead.
 */

type Replacements = Record<string, unknown>;
type Select = <R extends object>(sql: string, replacements?: Replacements) => Promise<R[]>;

function sqlRunner(queryInterface: QueryInterface) {
  const { sequelize } = queryInterface;
  const run = (sql: string, replacements?: Replacements): Promise<unknown> =>
    sequelize.query(sql, { type: QueryTypes.RAW, replacements });
  const select: Select = (sql, replacements) =>
    sequelize.query(sql, { type: QueryTypes.SELECT, replacements });
  return { run, select };
}

/**
 * SQLite: runs `fn` with foreign keys off, as one transaction on Sequelize's shared connection, then
 * `PRAGMA foreign_key_check`; an orphan row rolls everything back and throws. `fn` must not open Sequelize
 * transactions (those get their own connection, with foreign keys on). MariaDB: just runs `fn`.
 */
export async function withForeignKeysOff<T>(
  queryInterface: QueryInterface,
  fn: () => Promise<T>,
): Promise<T> {
  if (queryInterface.sequelize.getDialect() !== 'sqlite') return fn();
  const { run, select } = sqlRunner(queryInterface);
  await run('PRAGMA foreign_keys=OFF');
  try {
    const [state] = await select<{ foreign_keys: number }>('PRAGMA foreign_keys');
    if (state?.foreign_keys !== 0)
      throw new Error('PRAGMA foreign_keys=OFF had no effect (inside a transaction?)');
    await run('BEGIN IMMEDIATE');
    try {
      const result = await fn();
      const orphans = await select('PRAGMA foreign_key_check');
      if (orphans.length > 0) {
        throw new Error(
          `foreign_key_check found ${orphans.length} orphan rows: ${JSON.stringify(orphans.slice(0, 5))}`,
        );
      }
      await run('COMMIT');
      return result;
    } catch (err) {
      await run('ROLLBACK');
      throw err;
    }
  } finally {
    await run('PRAGMA foreign_keys=ON');
  }
}

/**
 * SQLite's documented rebuild (sqlite.org/lang_altertable.html#otheralter) from the table's own DDL: `edit`
 * gets the column and constraint definitions and returns the new ones. Rows of the columns that remain are
 * copied; indexes, triggers and the AUTOINCREMENT counter are restored. Call it inside withForeignKeysOff.
 */
export async function rebuildSqliteTable(
  queryInterface: QueryInterface,
  table: string,
  edit: (definitions: string[]) => string[],
): Promise<void> {
  const { run, select } = sqlRunner(queryInterface);
  const master = (types: string) =>
    select<{ sql: string }>(
      `SELECT sql FROM sqlite_master WHERE type IN (${types}) AND tbl_name = :table AND sql IS NOT NULL`,
      { table },
    );
  const [definition] = await master("'table'");
  if (!definition) throw new Error(`No table ${table}`);
  const dependents = await master("'index', 'trigger'");
  const hasSequence = (await select("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'")).length > 0;
  const [sequence] = hasSequence
    ? await select<{ seq: number }>('SELECT seq FROM sqlite_sequence WHERE name = :table', { table })
    : [];
  const columnsOf = async (name: string) =>
    (await select<{ name: string }>(`PRAGMA table_info(${quote(name)})`)).map((c) => c.name);

  const temp = `${table}__rebuild`;
  const open = definition.sql.indexOf('(');
  const close = definition.sql.lastIndexOf(')');
  const body = edit(splitDefinitions(definition.sql.slice(open + 1, close))).join(', ');
  await run(`CREATE TABLE ${quote(temp)} (${body})${definition.sql.slice(close + 1)}`);
  const kept = new Set(await columnsOf(temp));
  const columns = (await columnsOf(table))
    .filter((c) => kept.has(c))
    .map(quote)
    .join(', ');
  await run(`INSERT INTO ${quote(temp)} (${columns}) SELECT ${columns} FROM ${quote(table)}`);
  await run(`DROP TABLE ${quote(table)}`);
  await run(`ALTER TABLE ${quote(temp)} RENAME TO ${quote(table)}`);
  for (const { sql } of dependents) await run(sql);
  if (sequence) {
    await run('DELETE FROM sqlite_sequence WHERE name = :table', { table });
    await run('INSERT INTO sqlite_sequence (name, seq) VALUES (:table, :seq)', { table, seq: sequence.seq });
  }
}

/** Changes one column's type/nullability/default, keeping every row, key and index on both dialects. */
export async function changeColumnSafely(
  queryInterface: QueryInterface,
  table: string,
  column: string,
  attribute: ModelAttributeColumnOptions,
): Promise<void> {
  if (queryInterface.sequelize.getDialect() !== 'sqlite') {
    await queryInterface.changeColumn(table, column, attribute);
    return;
  }
  const generator = queryInterface.queryGenerator as {
    attributesToSQL(attributes: Record<string, ModelAttributeColumnOptions>): Record<string, string>;
  };
  const sql = `${quote(column)} ${generator.attributesToSQL({ [column]: attribute })[column]}`;
  await withForeignKeysOff(queryInterface, () =>
    rebuildSqliteTable(queryInterface, table, (definitions) => {
      const index = definitions.findIndex((d) => definitionName(d) === column);
      if (index < 0) throw new Error(`No column ${table}.${column}`);
      return definitions.map((d, i) => (i === index ? sql : d));
    }),
  );
}

/** Splits a CREATE TABLE body at commas outside parentheses and quotes. */
function splitDefinitions(body: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoteChar: string | undefined;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (quoteChar) {
      if (c === quoteChar) quoteChar = undefined;
    } else if (c === "'" || c === '"' || c === '`') quoteChar = c;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(body.slice(start, i).trim());
      start = i + 1;
    }
  }
  return [...parts, body.slice(start).trim()];
}

/** The (unquoted) name a column definition starts with. */
function definitionName(definition: string): string | undefined {
  const match = /^(?:`([^`]+)`|"([^"]+)"|\[([^\]]+)\]|(\S+))/.exec(definition);
  return match?.slice(1).find((group) => group !== undefined);
}

function quote(identifier: string): string {
  return `\`${identifier.replace(/`/g, '``')}\``;
}
