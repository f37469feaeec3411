import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import { loadConfig, type Env } from '../../src/config';
import { createLogger } from '../../src/logger';
import type { Mailer } from '../../src/mail/mailer';
import { createRuntime, type Runtime } from '../../src/runtime';
import { createTestDatabase } from './database';
import { TEST_PAYLOAD_KEYS } from './payload-keys';

export interface TestApp {
  app: Express;
  runtime: Runtime;
  close(): Promise<void>;
}

/**
 * The real app on a fresh test database (SQLite, or MariaDB when DATABASE_URL is set), with Redis when
 * REDIS_URL is set. Temporal points at `temporalAddress` (default: a closed port, so Temporal is "down").
 */
export async function createTestApp(
  options: {
    env?: Env;
    temporalAddress?: string;
    mailer?: Mailer;
    /** A MariaDB/MySQL server URL to create the test database on, instead of DATABASE_URL. */
    databaseUrl?: string;
  } = {},
): Promise<TestApp> {
  const testDb = await createTestDatabase({ serverUrl: options.databaseUrl });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'st-app-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    JWT_SECRET: crypto.randomBytes(32).toString('hex'),
    DEV_ENDPOINTS: 'true',
    LOG_LEVEL: 'silent',
    REDIS_URL: process.env.REDIS_URL,
    TEMPORAL_ID_PREFIX: `t${crypto.randomUUID().slice(0, 8)}-`,
    // The key of the file's test workers and test environment (test/helpers/temporal.ts).
    TEMPORAL_PAYLOAD_KEYS: TEST_PAYLOAD_KEYS,
    ...options.env,
  });
  const runtime = createRuntime(config, createLogger(config.logLevel), {
    db: testDb.db,
    temporalAddress: options.temporalAddress ?? '127.0.0.1:1',
    mailer: options.mailer,
  });
  await runtime.ready();
  return {
    app: runtime.createApp(),
    runtime,
    async close() {
      await runtime.close();
      await testDb.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
