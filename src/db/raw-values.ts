/**
 * Column values of raw rows, the same on both dialects: SQLite hands out dates as text and booleans as 0/1,
 * mysql2 may hand out BIGINT as a string and DATETIME as a Date. Models do this in their getters; raw reads
 * (QueryTypes.SELECT) bypass them.
 */

/** DATETIME / TIMESTAMP as a Date (null stays null). */
export function rawDate(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value;
  // SQLite through Sequelize: '2026-12-03 16:25:00.000 +00:00'.
  return new Date(String(value).replace(' ', 'T').replace(' ', ''));
}

/** DATE as 'YYYY-MM-DD'. */
export function rawDateOnly(value: unknown): string {
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return String(value).slice(0, 10);
}

/** BOOLEAN (TINYINT(1) on MariaDB, 0/1 on SQLite). */
export function rawBoolean(value: unknown): boolean {
  return value === true || value === 1 || value === '1';
}

/** INTEGER / BIGINT as a JS number (amounts never pass 2^53). */
export function rawNumber(value: unknown): number {
  return typeof value === 'number' ? value : Number(value);
}

/** A JSON value kept as text (jsonTextColumn); null stays null. */
export function rawJson<T>(value: unknown): T | null {
  return typeof value === 'string' ? (JSON.parse(value) as T) : null;
}
