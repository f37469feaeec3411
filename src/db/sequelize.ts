import fs from 'node:fs';
import path from 'node:path';
import { Transaction } from 'sequelize';
import { Sequelize } from 'sequelize-typescript';
import type { Config } from '../config';
import { serialiseSqliteWriters, sqliteWithPragmas } from './sqlite-connections';

export type DatabaseConfig = Config['database'];

/** The part of a pino logger Sequelize needs: SQL goes to `debug`. */
export interface SqlLogger {
  debug(message: string): void;
}

/**
 * Builds the Sequelize instance: SQLite at `sqlitePath` (or a `sqlite:` URL, `sqlite::memory:` for tests)
 * when no server URL is given, else MySQL 8 / MariaDB through mysql2.
 */
export function createSequelize(db: DatabaseConfig, logger?: SqlLogger): Sequelize {
  const logging = logger ? (sql: string) => logger.debug(sql) : false;
  if (!db.url || db.url.startsWith('sqlite:')) return createSqlite(sqliteStorage(db), logging);
  return new Sequelize(db.url.replace(/^mariadb:/, 'mysql:'), {
    dialect: 'mysql',
    logging,
    timezone: '+00:00',
    pool: { max: db.poolMax, min: 0, acquire: 5000, idle: 10_000 },
    // Fail in 3 s when the server is unreachable, so requests answer 503 instead of hanging.
    dialectOptions: { connectTimeout: 3000, charset: 'utf8mb4' },
    // Binary collation: keys compare exactly as on SQLite (the default collation equates Cafe and Café).
    define: { charset: 'utf8mb4', collate: 'utf8mb4_bin' },
  });
}

/**
 * SQLite: IMMEDIATE transactions take the write lock up front (a DEFERRED read-then-write one would fail with
 * SQLITE_BUSY instead of waiting), and in-process writers queue one at a time (see sqlite-connections.ts).
 */
function createSqlite(storage: string, logging: false | ((sql: string) => void)): Sequelize {
  const inMemory = storage === ':memory:';
  if (!inMemory) fs.mkdirSync(path.dirname(storage), { recursive: true });
  const sequelize = new Sequelize({
    dialect: 'sqlite',
    storage,
    dialectModule: sqliteWithPragmas,
    transactionType: Transaction.TYPES.IMMEDIATE,
    // Waiting is done by the writer queue and busy_timeout; Sequelize's default 5 retries would add 25 s.
    retry: { max: 1 },
    logging,
  });
  if (!inMemory) serialiseSqliteWriters(sequelize, 5000);
  return sequelize;
}

function sqliteStorage(db: DatabaseConfig): string {
  if (!db.url) return db.sqlitePath;
  const location = db.url.slice('sqlite:'.length).replace(/^\/\//, '');
  return location === ':memory:' ? location : path.resolve(location);
}
