import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { createDatabase, type Database } from '../../src/db/database';
import { migrateUp } from '../../src/db/migrator';
import type { DatabaseConfig } from '../../src/db/sequelize';

export interface TestDatabase {
  db: Database;
  config: DatabaseConfig;
  /** Closes the connections and deletes the file or drops the database. */
  close(): Promise<void>;
}

/**
 * A fresh, migrated database of its own: a SQLite file in a temp dir, or, when DATABASE_URL is set, a new
 * MariaDB/MySQL database `subtracker_t_<random>` on that server (its user may create `subtracker%` ones).
 */
export async function createTestDatabase(
  options: { /** A MariaDB/MySQL server URL to use instead of DATABASE_URL. */ serverUrl?: string } = {},
): Promise<TestDatabase> {
  const serverUrl = options.serverUrl ?? process.env.DATABASE_URL;
  const { config, dispose } = serverUrl ? await createServerDatabase(serverUrl) : createSqliteFile();
  const db = createDatabase(config);
  const close = async () => {
    try {
      await db.close();
    } finally {
      await dispose();
    }
  };
  try {
    await migrateUp(db.sequelize);
  } catch (err) {
    await close();
    throw err;
  }
  return { db, config, close };
}

function createSqliteFile(): { config: DatabaseConfig; dispose: () => Promise<void> } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'subtracker-db-'));
  return {
    config: { url: undefined, sqlitePath: path.join(dir, 'test.sqlite'), poolMax: 1 },
    dispose: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

async function createServerDatabase(serverUrl: string) {
  const url = new URL(serverUrl);
  const name = `subtracker_t_${crypto.randomBytes(6).toString('hex')}`;
  const admin = () =>
    mysql.createConnection({
      host: url.hostname,
      port: Number(url.port || 3306),
      user: decodeURIComponent(url.username),
      password: decodeURIComponent(url.password),
    });
  const execute = async (sql: string) => {
    const connection = await admin();
    try {
      await connection.query(sql);
    } finally {
      await connection.end();
    }
  };
  await execute(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  url.pathname = `/${name}`;
  const config: DatabaseConfig = { url: url.toString(), sqlitePath: '', poolMax: 5 };
  return { config, dispose: () => execute(`DROP DATABASE IF EXISTS \`${name}\``) };
}
