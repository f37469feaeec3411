/**
 * Classifies Sequelize errors for the HTTP layer (409 / 503) without importing it. Matches on `name` and
 * driver codes rather than `instanceof`, so a second copy of Sequelize (or a Jest realm) cannot hide them.
 */

const UNAVAILABLE_ERRORS = new Set([
  'SequelizeConnectionError',
  'SequelizeConnectionRefusedError',
  'SequelizeConnectionTimedOutError',
  'SequelizeHostNotFoundError',
  'SequelizeHostNotReachableError',
  'SequelizeAccessDeniedError',
  'SequelizeInvalidConnectionError',
  'SequelizeConnectionAcquireTimeoutError',
  // SQLite's SQLITE_BUSY after busy_timeout.
  'SequelizeTimeoutError',
]);

/** Driver codes (on a Sequelize error's `parent`) of a connection lost mid-query or a locked SQLite database. */
const UNAVAILABLE_CODES = new Set([
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'PROTOCOL_CONNECTION_LOST',
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'ER_SERVER_SHUTDOWN',
  'ER_CON_COUNT_ERROR',
]);

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  parent?: ErrorLike;
}

function asErrorLike(err: unknown): ErrorLike {
  return typeof err === 'object' && err !== null ? (err as ErrorLike) : {};
}

/** A UNIQUE index rejected the write: the caller maps it to a conflict. */
export function isUniqueViolation(err: unknown): boolean {
  return asErrorLike(err).name === 'SequelizeUniqueConstraintError';
}

/** The database is down, unreachable, out of connections or locked: the caller answers 503, not 500. */
export function isDatabaseUnavailable(err: unknown): boolean {
  const e = asErrorLike(err);
  if (typeof e.name !== 'string' || !e.name.startsWith('Sequelize')) return false;
  if (UNAVAILABLE_ERRORS.has(e.name)) return true;
  const code = e.parent?.code;
  return typeof code === 'string' && UNAVAILABLE_CODES.has(code);
}
