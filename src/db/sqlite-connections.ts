import { ConnectionAcquireTimeoutError, QueryTypes, type QueryOptions, type Sequelize } from 'sequelize';
import sqlite3 from 'sqlite3';

/**
 * How SubTracker uses SQLite through Sequelize 6, which ignores `pool` for SQLite: it shares one connection for
 * autocommit statements, opens one per transaction and runs no afterConnect hook.
 */

const PRAGMAS = [
  // Readers never block the writer (persistent in the file; repeated per connection at no cost).
  'PRAGMA journal_mode=WAL',
  // A writer from another process waits up to 5 s for the lock instead of failing at once with SQLITE_BUSY.
  'PRAGMA busy_timeout=5000',
  'PRAGMA foreign_keys=ON',
  // Safe with WAL: a power cut may lose the last commits but never corrupts the file.
  'PRAGMA synchronous=NORMAL',
].join(';');

/** sqlite3 whose every new connection runs the pragmas before Sequelize gets it (its `dialectModule`). */
class PragmaDatabase extends sqlite3.Database {
  constructor(filename: string, mode: number, callback: (err: Error | null) => void) {
    const opened: { db?: sqlite3.Database } = {};
    super(filename, mode, (err) => (err ? callback(err) : opened.db!.exec(PRAGMAS, callback)));
    opened.db = this;
  }
}

/**
 * Sequelize inlines string values into the SQL text for SQLite, and SQLite reads that text only up to a NUL:
 * a U+0000 in a value (a login email, a filter) failed as a syntax error, a 500 (found by schemathesis). A
 * NUL can only come from such an escaped '...' literal, so it is spliced in as '||char(0)||' instead: the
 * same value, as MySQL stores and compares it.
 */
export function spliceNul(sql: string): string {
  return sql.includes('\u0000') ? sql.split('\u0000').join("'||char(0)||'") : sql;
}
for (const method of ['all', 'run', 'get', 'exec', 'each', 'prepare'] as const) {
  const original = sqlite3.Database.prototype[method] as (sql: string, ...rest: unknown[]) => unknown;
  Object.defineProperty(PragmaDatabase.prototype, method, {
    value(this: sqlite3.Database, sql: unknown, ...rest: unknown[]) {
      return original.call(this, (typeof sql === 'string' ? spliceNul(sql) : sql) as string, ...rest);
    },
    writable: true,
    configurable: true,
  });
}

export const sqliteWithPragmas = { ...sqlite3, Database: PragmaDatabase };

const READ_QUERIES: readonly string[] = [QueryTypes.SELECT, QueryTypes.SHOWINDEXES, QueryTypes.DESCRIBE];

/**
 * The pool of one writer: a transaction (from BEGIN IMMEDIATE to its release) or an autocommit write holds
 * an in-process lock; the others queue for it in JavaScript and give up after `acquireMs` with
 * ConnectionAcquireTimeoutError (503), as MySQL's pool does. Why: node-sqlite3 waits out busy_timeout on a
 * libuv thread (4 by default), so four writers waiting for the SQLite lock starve the one holding it and
 * all stall for 5 s (checked). Reads stay concurrent. Not for `:memory:`, where everything shares one connection.
 */
export function serialiseSqliteWriters(sequelize: Sequelize, acquireMs: number): void {
  const acquire = createMutex(acquireMs);
  const manager = sequelize.connectionManager;
  const { getConnection, releaseConnection, destroyConnection } = manager;
  const transactions = new Map<string, () => void>();
  const statements = new WeakMap<object, () => void>();

  const releaseTransaction = (connection: object) => {
    const { uuid } = connection as { uuid?: string };
    if (uuid === undefined) return;
    transactions.get(uuid)?.();
    transactions.delete(uuid);
  };
  manager.getConnection = async (options) => {
    const uuid = (options as { uuid?: string } | undefined)?.uuid;
    if (uuid === undefined || uuid === 'default') return getConnection.call(manager, options);
    const release = await acquire();
    transactions.set(uuid, release);
    try {
      return await getConnection.call(manager, options);
    } catch (err) {
      transactions.delete(uuid);
      release();
      throw err;
    }
  };
  manager.releaseConnection = (connection) => {
    try {
      return releaseConnection.call(manager, connection);
    } finally {
      releaseTransaction(connection);
    }
  };
  manager.destroyConnection = async (connection) => {
    try {
      return await destroyConnection.call(manager, connection);
    } finally {
      releaseTransaction(connection);
    }
  };
  sequelize.addHook('beforeQuery', async (options: QueryOptions, query: object) => {
    if (options.transaction || READ_QUERIES.includes(options.type ?? '')) return;
    statements.set(query, await acquire());
  });
  sequelize.addHook('afterQuery', (_options: QueryOptions, query: object) => {
    statements.get(query)?.();
    statements.delete(query);
  });
}

/** A FIFO mutex whose waiters give up after `timeoutMs`. */
function createMutex(timeoutMs: number): () => Promise<() => void> {
  let locked = false;
  const waiters: (() => void)[] = [];
  const handOver = () => {
    const next = waiters.shift();
    if (next) next();
    else locked = false;
  };
  const releaser = () => {
    let released = false;
    return () => {
      if (!released) handOver();
      released = true;
    };
  };
  return () => {
    if (!locked) {
      locked = true;
      return Promise.resolve(releaser());
    }
    return new Promise((resolve, reject) => {
      const grant = () => {
        clearTimeout(timer);
        resolve(releaser());
      };
      const timer = setTimeout(() => {
        waiters.splice(waiters.indexOf(grant), 1);
        reject(
          new ConnectionAcquireTimeoutError(
            new Error(`No SQLite write slot within ${timeoutMs} ms (a write outside its own transaction?)`),
          ),
        );
      }, timeoutMs);
      waiters.push(grant);
    });
  };
}
