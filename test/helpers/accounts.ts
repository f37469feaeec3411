import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import request from 'supertest';
import { loadConfig, type Env } from '../../src/config';
import { createLogger, type Logger } from '../../src/logger';
import { MailError, type Mailer } from '../../src/mail/mailer';
import { createRuntime, type Runtime } from '../../src/runtime';
import { createTestDatabase } from './database';
import { createRecordingMailer } from './temporal-fakes';

/** A clock the session service reads; tests move it instead of sleeping. */
export function createTestClock(start = Date.now()) {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

export interface AccountsApp {
  app: Express;
  runtime: Runtime;
  clock: ReturnType<typeof createTestClock>;
  /** Every email the app sent. */
  sent: ReturnType<typeof createRecordingMailer>['sent'];
  close(): Promise<void>;
}

/**
 * The real app as createTestApp builds it (fresh database, Redis when REDIS_URL is set, Temporal down unless
 * `temporalAddress`), plus a movable clock, a recording mailer and `trust proxy`, so each test can speak from
 * its own IP through X-Forwarded-For and never share a rate-limit budget with another.
 */
export async function createAccountsApp(
  options: {
    env?: Env;
    temporalAddress?: string;
    mailer?: Mailer;
    logger?: Logger;
    /**
     * Another app's database, for two apps in one test: model classes bind to the last database created, so
     * a second database would take the first app's model writes away from its raw reads.
     */
    shareDatabaseOf?: AccountsApp;
  } = {},
): Promise<AccountsApp> {
  const shared = options.shareDatabaseOf?.runtime.db;
  const testDb = shared ? { db: shared, close: async () => {} } : await createTestDatabase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'st-acc-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    JWT_SECRET: crypto.randomBytes(32).toString('hex'),
    DEV_ENDPOINTS: 'true',
    LOG_LEVEL: 'silent',
    REDIS_URL: process.env.REDIS_URL,
    TRUST_PROXY: 'true',
    TEMPORAL_ID_PREFIX: `t${crypto.randomUUID().slice(0, 8)}-`,
    APP_BASE_URL: 'https://subtracker.test',
    ...options.env,
  });
  const clock = createTestClock();
  const recording = createRecordingMailer();
  const { sent } = recording;
  const mailer = options.mailer ?? recording.mailer;
  const runtime = createRuntime(config, options.logger ?? createLogger(config.logLevel), {
    db: testDb.db,
    temporalAddress: options.temporalAddress ?? '127.0.0.1:1',
    mailer,
    now: clock.now,
  });
  await runtime.ready();
  return {
    app: runtime.createApp(),
    runtime,
    clock,
    sent,
    async close() {
      await runtime.close();
      await testDb.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A mailer whose provider rejects every message (a 5xx after retries). */
export const failingMailer: Mailer = {
  send: () => Promise.reject(new MailError('mailgun answered 503', true, 503)),
};

let seq = 0;
/** A random client address: each test gets its own rate-limit budget. */
export function randomIp(): string {
  return `10.${crypto.randomInt(256)}.${crypto.randomInt(256)}.${crypto.randomInt(1, 255)}`;
}

/** A unique, valid registration body. */
export function newAccount(overrides: Partial<{ username: string; email: string; password: string }> = {}) {
  seq += 1;
  const tag = `${process.pid}-${seq}-${crypto.randomUUID().slice(0, 6)}`;
  return {
    username: `user-${tag}`,
    email: `user-${tag}@example.com`,
    password: 'correct horse battery',
    ...overrides,
  };
}

/** Registers through HTTP and signs in; returns the credentials, the user and the first token pair. */
export async function signUp(app: Express, overrides: Parameters<typeof newAccount>[0] = {}) {
  const account = newAccount(overrides);
  const ip = randomIp();
  const reg = await request(app).post('/register').set('X-Forwarded-For', ip).send(account);
  if (reg.status !== 201) throw new Error(`register: ${reg.status} ${JSON.stringify(reg.body)}`);
  const login = await request(app).post('/login').set('X-Forwarded-For', ip).send(account);
  if (login.status !== 200) throw new Error(`login: ${login.status} ${JSON.stringify(login.body)}`);
  const { access_token: accessToken, refresh_token: refreshToken } = login.body as Record<string, string>;
  return {
    ...account,
    ip,
    user: reg.body.user as { id: number; email: string },
    accessToken,
    refreshToken,
    bearer: (token = accessToken) => ({ Authorization: `Bearer ${token}` }),
  };
}

/** The `token` query parameter of the link in a message's text. */
export function tokenInMail(text: string): string {
  const match = /[?&]token=([^\s&]+)/.exec(text);
  if (!match) throw new Error(`no token link in: ${text}`);
  return decodeURIComponent(match[1]);
}

/** Polls until `fn` returns a value (background work such as a reset email), or fails after `ms`. */
export async function eventually<T>(fn: () => T | undefined, ms = 3000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = fn();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
