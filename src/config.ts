import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import type { ChannelEndpoints } from './channels/channel-settings';
import type { PayloadKey } from './temporal/payload-codec';

/**
 * The one place that reads the environment. `loadConfig()` validates it, fills the embedded defaults
 * (SQLite, in-memory cache, Temporal dev server, mail outbox) and returns a frozen, typed object.
 *
 * A setting is declared once, in `configSchema`: its key, its type and validation, its default and one line of
 * doc. `configFrom()` says where it goes in `Config`, whose type is derived from both. `.env.example` lists
 * every key with its default (test/unit/env-example.test.ts checks it against the schema).
 */

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'], { message: 'must be true or false' })
  .transform((v) => ['true', '1', 'yes', 'on'].includes(v));
const port = z.coerce.number({ message: 'must be a port number' }).int().min(1).max(65535);
const cron = z.string().regex(/^(\S+\s+){4}\S+$/, { message: 'must be a five-field cron expression' });

export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  /** HTTP port of the API. */
  PORT: port.default(3000),
  /** Interface the API binds to. */
  HOST: z.string().default('0.0.0.0'),
  /** API processes sharing the port (node:cluster): a number, or `auto` for one per CPU core (production's default). */
  API_WORKERS: z
    .union([z.literal('auto'), z.coerce.number().int().min(1).max(64)], {
      message: 'must be a number from 1 to 64 or auto',
    })
    .optional(),
  /** Directory for the embedded defaults: SQLite file, Temporal dev database, outbox, dev JWT secret. */
  DATA_DIR: z.string().default('var'),
  /** mysql://user:pass@host:port/db (MySQL 8 or MariaDB). Unset: SQLite under DATA_DIR. */
  DATABASE_URL: z
    .string()
    .regex(/^(mysql|mariadb|sqlite):/, { message: 'must be a mysql://, mariadb:// or sqlite: URL' })
    .optional(),
  /** Max pooled database connections. */
  DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  /** redis://host:port/db. Unset: in-memory session cache and rate limits (single process only). */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, { message: 'must be a redis:// URL' })
    .optional(),
  /** host:port of a Temporal frontend. Unset: the embedded CLI dev server is spawned (or reused). */
  TEMPORAL_ADDRESS: z
    .string()
    .regex(/^[^:\s]+:\d+$/, { message: 'must be host:port' })
    .optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('subtracker'),
  /** Prefix of every workflow id (tests use a unique one per file). */
  TEMPORAL_ID_PREFIX: z.string().default(''),
  TEMPORAL_DEV_PORT: port.default(7233),
  TEMPORAL_UI_PORT: port.default(8233),
  /** Path of a prebuilt `temporal` CLI; otherwise .tools/ or the cache, built when missing. */
  TEMPORAL_CLI_PATH: z.string().optional(),
  /**
   * Workflow runs a worker keeps in memory (the SDK's default grows with the machine's memory: 2,310 on 24 GiB).
   * Reminders mostly sleep; one evicted from the cache replays its short history when it wakes.
   */
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).default(1000),
  /**
   * Keys of the Temporal payload codec (AES-256-GCM), `id:base64-32-bytes` comma-separated; the first
   * encrypts, all decrypt. Required in production; otherwise one is generated once under DATA_DIR.
   */
  TEMPORAL_PAYLOAD_KEYS: z
    .string()
    .regex(/^[\w.-]{1,64}:[A-Za-z0-9+/_-]+={0,2}(\s*,\s*[\w.-]{1,64}:[A-Za-z0-9+/_-]+={0,2})*$/, {
      message: 'must be id:base64key[,id:base64key...]',
    })
    .optional(),
  /**
   * Who may call the codec endpoint (/codec/decode, /codec/encode): `admin` (an admin's access token) or
   * `open`. Default: open on the embedded defaults (development, no TEMPORAL_ADDRESS), admin otherwise.
   */
  CODEC_AUTH: z.enum(['admin', 'open']).optional(),
  /** Origins (the Temporal Web UI's) allowed to call the codec endpoint from a browser; comma-separated. */
  CODEC_CORS_ORIGINS: z.string().optional(),
  /** Unset: email is written to DATA_DIR/outbox instead of being sent. */
  MAILGUN_API_KEY: z.string().min(1).optional(),
  MAILGUN_DOMAIN: z.string().default('mg.example.com'),
  /** Mailgun API base URL (EU: https://api.eu.mailgun.net). */
  MAILGUN_URL: z.string().url({ message: 'must be a URL' }).default('https://api.mailgun.net'),
  MAIL_FROM: z.string().default('SubTracker <no-reply@subtracker.local>'),
  /** Reminder emails a worker has in flight at once, across all its batches. */
  MAIL_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(32),
  /** Public base URL used in links inside emails. */
  APP_BASE_URL: z.string().url({ message: 'must be a URL' }).default('http://localhost:3000'),
  /** HS256 secret, at least 32 bytes; JWT_SECRET_KEY is accepted as the seed's name. */
  JWT_SECRET: z.string().optional(),
  JWT_SECRET_KEY: z.string().optional(),
  JWT_ISSUER: z.string().default('subtracker'),
  JWT_AUDIENCE: z.string().default('subtracker-api'),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).default(900),
  REFRESH_TOKEN_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .default(30 * 24 * 3600),
  /** Absolute lifetime of a session from its login, in days: refreshing, rotating or not, never extends it. */
  SESSION_MAX_AGE_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  /** on: refresh tokens rotate (30 s reuse grace); off: the seed's non-rotating refresh. */
  REFRESH_ROTATION: z.enum(['on', 'off']).default('on'),
  /** Comma-separated emails that get the admin role once verified (an unverified one is an ordinary user). */
  ADMIN_EMAILS: z.string().default(''),
  /** Failed logins one IP may make against one account per window (429 beyond, for that pair only). */
  LOGIN_MAX_FAILURES_PER_ACCOUNT_IP: z.coerce.number().int().min(1).max(1000).default(5),
  /** Failed logins one IP may make across all accounts per window (429 beyond, for that IP). */
  LOGIN_MAX_FAILURES_PER_IP: z.coerce.number().int().min(1).max(100_000).default(50),
  /** The window of both login budgets, in minutes. */
  LOGIN_FAILURE_WINDOW_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .default(15),
  /** Password changes (POST /users/me/password) one user may try per hour, right or wrong. */
  PASSWORD_CHANGE_MAX_PER_HOUR: z.coerce.number().int().min(1).max(1000).default(5),
  /** argon2 hashes and verifications running at once per API process (others queue). Default: cores / API_WORKERS. */
  PASSWORD_HASH_CONCURRENCY: z.coerce.number().int().min(1).max(256).optional(),
  /** Comma-separated allowed origins; `*` allows any. */
  CORS_ORIGINS: z.string().default(''),
  /**
   * Express `trust proxy`: false, a hop count, or comma-separated proxy addresses / subnets (or loopback,
   * linklocal, uniquelocal). `true` (trust any X-Forwarded-For) is refused in production.
   */
  TRUST_PROXY: z.string().default('false'),
  /** Swagger UI and /openapi.json; default on outside production, off in production. */
  API_DOCS: bool.optional(),
  /** Subscriptions one user may hold (any status); creating one more answers 409. */
  MAX_SUBSCRIPTIONS_PER_USER: z.coerce.number().int().min(1).max(100_000).default(500),
  /** How far ahead the calendar feed lists charges, in months. */
  CALENDAR_FEED_MONTHS: z.coerce.number().int().min(1).max(36).default(12),
  BODY_LIMIT: z
    .string()
    .regex(/^\d+(b|kb|mb)$/, { message: 'must look like 100kb' })
    .default('100kb'),
  /** Largest file POST /subscriptions/import accepts (413 beyond). */
  IMPORT_MAX_BYTES: z
    .string()
    .regex(/^\d+(b|kb|mb)$/, { message: 'must look like 1mb' })
    .default('1mb'),
  /** Most rows one import may hold (422 beyond). */
  IMPORT_MAX_ROWS: z.coerce.number().int().min(1).max(10_000).default(1000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Developer endpoints (guest, protected, send-test); never mounted in production. */
  DEV_ENDPOINTS: bool.default('false'),
  /**
   * Notification channels may reach loopback and private addresses (a local receiver). Default: on for the
   * embedded defaults of `npm run dev` and for tests, off otherwise. Link-local addresses are refused always.
   */
  CHANNEL_ALLOW_PRIVATE_URLS: bool.optional(),
  /** ntfy server of channels that name none. */
  NTFY_URL: z.string().url({ message: 'must be a URL' }).default('https://ntfy.sh'),
  /** Discord / Slack channel webhook URLs must start with these. */
  DISCORD_WEBHOOK_BASE: z
    .string()
    .url({ message: 'must be a URL' })
    .default('https://discord.com/api/webhooks/'),
  SLACK_WEBHOOK_BASE: z
    .string()
    .url({ message: 'must be a URL' })
    .default('https://hooks.slack.com/services/'),
  /** Telegram Bot API base URL. */
  TELEGRAM_API_URL: z.string().url({ message: 'must be a URL' }).default('https://api.telegram.org'),
  /** A channel request (connect to last byte) gives up after this many milliseconds. */
  CHANNEL_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  /** Deliveries ending failed in a row after which a channel is disabled and its owner told by email. */
  CHANNEL_DISABLE_AFTER: z.coerce.number().int().min(1).max(1000).default(5),
  /** Channel requests a worker has in flight at once, across its batches. */
  CHANNEL_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
  /** After a webhook's secret is rotated, deliveries are signed with the old one too for this many hours. */
  CHANNEL_SECRET_OVERLAP_HOURS: z.coerce.number().int().min(0).max(720).default(24),
  REMINDER_CHECK_CRON: cron.default('0 * * * *'),
  MONTHLY_REPORT_CRON: cron.default('0 0 1 * *'),
  /** When the ECB reference rates are fetched (UTC; the ECB publishes around 16:00 CET on TARGET business days). */
  EXCHANGE_RATES_CRON: cron.default('0 16 * * *'),
  /** The ECB's daily euro reference rates document. */
  EXCHANGE_RATES_DAILY_URL: z
    .string()
    .url({ message: 'must be a URL' })
    .default('https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml'),
  /** The ECB's last 90 days of reference rates, read to fill missing days. */
  EXCHANGE_RATES_HISTORY_URL: z
    .string()
    .url({ message: 'must be a URL' })
    .default('https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist-90d.xml'),
});

export type Env = Record<string, string | undefined>;

/** The validated settings, as the schema declares them (keys, types, defaults). */
export type Settings = z.infer<typeof configSchema>;

/** The configuration the app reads: the settings, placed and derived by `configFrom()`. */
export type Config = ReturnType<typeof configFrom>;

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Validates `env` (default: process.env) and returns the frozen configuration. */
export function loadConfig(env: Env = process.env): Readonly<Config> {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = configSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  const problems: string[] = [];
  const dataDir = path.resolve(e.DATA_DIR);
  const secret = e.JWT_SECRET ?? e.JWT_SECRET_KEY;
  // Unset: one process per core in production (one process serves about two thirds of two), one elsewhere.
  const workersSetting = e.API_WORKERS ?? (e.NODE_ENV === 'production' ? 'auto' : 1);
  const apiWorkers = workersSetting === 'auto' ? os.availableParallelism() : workersSetting;

  // (Production requires REDIS_URL anyway.) Without Redis each process would keep its own revocations and budgets: a session revoked through one
  // process would stay live in the others for up to a minute (the cached "live" answer).
  if (apiWorkers > 1 && !e.REDIS_URL && e.NODE_ENV !== 'production') {
    problems.push(
      'API_WORKERS: more than one process needs REDIS_URL (revocations and rate limits are shared there)',
    );
  }
  const trustProxy = parseTrustProxy(e.TRUST_PROXY);
  if (trustProxy instanceof Error) problems.push(`TRUST_PROXY: ${trustProxy.message}`);

  if (e.NODE_ENV === 'production') {
    if (!secret || Buffer.byteLength(secret) < 32 || WEAK_SECRETS.has(secret)) {
      problems.push('JWT_SECRET: must be set to at least 32 bytes in production');
    } else if (secretEntropyBits(secret) < MIN_SECRET_BITS) {
      problems.push(
        `JWT_SECRET: too predictable (about ${Math.floor(secretEntropyBits(secret))} bits, at least ` +
          `${MIN_SECRET_BITS} needed): generate one, e.g. openssl rand -base64 48`,
      );
    }
    if (!e.DATABASE_URL) problems.push('DATABASE_URL: must be set in production');
    if (!e.REDIS_URL) problems.push('REDIS_URL: must be set in production');
    if (!e.TEMPORAL_PAYLOAD_KEYS) problems.push('TEMPORAL_PAYLOAD_KEYS: must be set in production');
    if (e.CODEC_AUTH === 'open') problems.push('CODEC_AUTH: must be admin in production');
    if (trustProxy === true) {
      problems.push(
        'TRUST_PROXY: true trusts any client-sent X-Forwarded-For in production; give the hop count ' +
          'or the addresses / subnets of your proxies',
      );
    }
  } else if (secret !== undefined && Buffer.byteLength(secret) < 32) {
    problems.push('JWT_SECRET: must be at least 32 bytes');
  }
  const payloadKeys = e.TEMPORAL_PAYLOAD_KEYS ? parsePayloadKeys(e.TEMPORAL_PAYLOAD_KEYS, problems) : [];
  if (problems.length || trustProxy instanceof Error) throw new ConfigError(problems);
  // The embedded defaults of `npm run dev`: the codec endpoint is open there, for the dev server's Web UI.
  const embedded = e.NODE_ENV === 'development' && !e.TEMPORAL_ADDRESS;

  const derived = {
    dataDir,
    apiWorkers,
    trustProxy,
    secret: secret ?? developmentSecret(dataDir),
    payloadKeys: payloadKeys.length ? payloadKeys : developmentPayloadKeys(dataDir),
    embedded,
  };
  return deepFreeze(configFrom(e, derived));
}

/** What loadConfig() works out from several settings (or the data directory) before placing them. */
interface Derived {
  dataDir: string;
  apiWorkers: number;
  trustProxy: boolean | number | string;
  secret: string;
  payloadKeys: PayloadKey[];
  /** The embedded defaults of `npm run dev` (development, no TEMPORAL_ADDRESS). */
  embedded: boolean;
}

/** Where each setting goes in `Config`, and the values derived from them. */
function configFrom(e: Settings, d: Derived) {
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    /** API processes (1: no cluster). */
    apiWorkers: d.apiWorkers,
    dataDir: d.dataDir,
    database: {
      url: e.DATABASE_URL,
      sqlitePath: path.join(d.dataDir, 'subtracker.sqlite'),
      poolMax: e.DB_POOL_MAX,
    },
    redisUrl: e.REDIS_URL,
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      taskQueue: e.TEMPORAL_TASK_QUEUE,
      idPrefix: e.TEMPORAL_ID_PREFIX,
      devPort: e.TEMPORAL_DEV_PORT,
      uiPort: e.TEMPORAL_UI_PORT,
      cliPath: e.TEMPORAL_CLI_PATH,
      maxCachedWorkflows: e.WORKER_MAX_CACHED_WORKFLOWS,
      /** Payload codec keys, the first one current (encrypts); every one decrypts. */
      payloadKeys: d.payloadKeys,
      reminderCheckCron: e.REMINDER_CHECK_CRON,
      monthlyReportCron: e.MONTHLY_REPORT_CRON,
      exchangeRatesCron: e.EXCHANGE_RATES_CRON,
    },
    mail: {
      apiKey: e.MAILGUN_API_KEY,
      domain: e.MAILGUN_DOMAIN,
      url: e.MAILGUN_URL,
      from: e.MAIL_FROM,
      outboxDir: path.join(d.dataDir, 'outbox'),
      concurrency: e.MAIL_CONCURRENCY,
    },
    appBaseUrl: e.APP_BASE_URL.replace(/\/+$/, ''),
    jwt: {
      secret: d.secret,
      issuer: e.JWT_ISSUER,
      audience: e.JWT_AUDIENCE,
      accessTtlSeconds: e.ACCESS_TOKEN_TTL_SECONDS,
      refreshTtlSeconds: e.REFRESH_TOKEN_TTL_SECONDS,
      refreshRotation: e.REFRESH_ROTATION === 'on',
    },
    adminEmails: splitList(e.ADMIN_EMAILS).map((s) => s.toLowerCase()),
    /** Login failure budgets: per (IP, account) and per IP, both over `windowSeconds`. */
    login: {
      maxFailuresPerAccountIp: e.LOGIN_MAX_FAILURES_PER_ACCOUNT_IP,
      maxFailuresPerIp: e.LOGIN_MAX_FAILURES_PER_IP,
      windowSeconds: e.LOGIN_FAILURE_WINDOW_MINUTES * 60,
    },
    passwordChangesPerHour: e.PASSWORD_CHANGE_MAX_PER_HOUR,
    /** argon2 operations running at once in this process. */
    // Each API process has its own cap: by default they share the cores rather than take all of them each.
    passwordHashConcurrency:
      e.PASSWORD_HASH_CONCURRENCY ?? Math.max(1, Math.floor(os.availableParallelism() / d.apiWorkers)),
    /** A session ends this long after its login, whatever its refreshes. */
    sessionMaxAgeSeconds: e.SESSION_MAX_AGE_DAYS * 24 * 3600,
    corsOrigins: splitList(e.CORS_ORIGINS),
    trustProxy: d.trustProxy,
    /** Swagger UI and /openapi.json are served. */
    apiDocs: e.API_DOCS ?? e.NODE_ENV !== 'production',
    maxSubscriptionsPerUser: e.MAX_SUBSCRIPTIONS_PER_USER,
    calendarFeedMonths: e.CALENDAR_FEED_MONTHS,
    bodyLimit: e.BODY_LIMIT,
    /** POST /subscriptions/import: largest file (413 beyond) and most rows (422 beyond). */
    imports: { maxBytes: e.IMPORT_MAX_BYTES, maxRows: e.IMPORT_MAX_ROWS },
    logLevel: e.LOG_LEVEL,
    devEndpoints: e.DEV_ENDPOINTS && e.NODE_ENV !== 'production',
    /** The codec endpoint of the Temporal Web UI: who may call it and from which browser origins. */
    codec: {
      auth: e.CODEC_AUTH ?? (d.embedded ? 'open' : 'admin'),
      corsOrigins:
        e.CODEC_CORS_ORIGINS !== undefined
          ? splitList(e.CODEC_CORS_ORIGINS)
          : d.embedded
            ? [`http://localhost:${e.TEMPORAL_UI_PORT}`, `http://127.0.0.1:${e.TEMPORAL_UI_PORT}`]
            : [],
    },
    /** Where the rates schedule reads the ECB's daily and 90-day reference rates documents. */
    exchangeRates: {
      urls: { daily: e.EXCHANGE_RATES_DAILY_URL, history: e.EXCHANGE_RATES_HISTORY_URL },
    },
    /** Notification channels: service endpoints, SSRF allowance, request timeout, disabling, concurrency. */
    channels: {
      ntfyUrl: e.NTFY_URL,
      discordWebhookBase: e.DISCORD_WEBHOOK_BASE,
      slackWebhookBase: e.SLACK_WEBHOOK_BASE,
      telegramApiUrl: e.TELEGRAM_API_URL,
      allowPrivate: e.CHANNEL_ALLOW_PRIVATE_URLS ?? (d.embedded || e.NODE_ENV === 'test'),
      timeoutMs: e.CHANNEL_TIMEOUT_MS,
      disableAfter: e.CHANNEL_DISABLE_AFTER,
      concurrency: e.CHANNEL_CONCURRENCY,
      secretOverlapMs: e.CHANNEL_SECRET_OVERLAP_HOURS * 3_600_000,
    } satisfies ChannelEndpoints & Record<string, unknown>,
  };
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The JWT secret of .env.example and the seed's default: public, so never a production secret. */
const WEAK_SECRETS = new Set(['secret', 'change-me-to-a-random-string-of-at-least-32-bytes']);
/** What a production JWT secret must carry by the estimate below (openssl rand -base64 48 gives ~340). */
export const MIN_SECRET_BITS = 128;

/**
 * A simple upper estimate of a secret's entropy: its length times the Shannon entropy of its own character
 * frequencies. 'aaaa…' scores 0 and 'abab…' one bit a character, however long; 32 random bytes in hex score
 * about 245 bits. It cannot see a dictionary phrase, only a secret too uniform to be random.
 */
export function secretEntropyBits(secret: string): number {
  const chars = [...secret];
  const counts = new Map<string, number>();
  for (const c of chars) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bitsPerChar = 0;
  for (const n of counts.values()) {
    const p = n / chars.length;
    bitsPerChar -= p * Math.log2(p);
  }
  return bitsPerChar * chars.length;
}

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** `true`, `false`, a hop count, or a list of addresses / subnets / names as proxy-addr takes them. */
function parseTrustProxy(value: string): boolean | number | string | Error {
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (/^\d+$/.test(value)) return Number(value);
  const items = splitList(value);
  const bad = items.filter((item) => {
    if (PROXY_NAMES.has(item)) return false;
    const [address, prefix, ...rest] = item.split('/');
    const version = net.isIP(address);
    if (!version || rest.length) return true;
    if (prefix === undefined) return false;
    return !/^\d+$/.test(prefix) || Number(prefix) > (version === 4 ? 32 : 128);
  });
  if (!items.length || bad.length) {
    return new Error(
      `must be false, a hop count, or addresses / subnets (e.g. 10.0.0.0/8,127.0.0.1); not ${bad.join(', ') || value}`,
    );
  }
  return items.join(',');
}

/** Outside production a random secret is generated once and kept under DATA_DIR, so tokens survive restarts. */
function developmentSecret(dataDir: string): string {
  const file = path.join(dataDir, 'jwt-secret');
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    const secret = crypto.randomBytes(48).toString('base64url');
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(file, secret, { mode: 0o600 });
    return secret;
  }
}

/** `id:base64,id:base64` -> keys, first one current; each key must be 32 bytes and each id unique. */
function parsePayloadKeys(value: string, problems: string[]): PayloadKey[] {
  const keys = splitList(value).map((entry) => {
    const at = entry.indexOf(':');
    return { id: entry.slice(0, at), key: entry.slice(at + 1) };
  });
  for (const { id, key } of keys) {
    if (Buffer.from(key, 'base64').length !== 32)
      problems.push(`TEMPORAL_PAYLOAD_KEYS: key "${id}" must be 32 bytes in base64`);
  }
  if (new Set(keys.map((k) => k.id)).size !== keys.length)
    problems.push('TEMPORAL_PAYLOAD_KEYS: key ids must be unique');
  return keys;
}

/**
 * Outside production, with no key configured, one is generated once and kept under DATA_DIR (like the JWT
 * secret), so a restarted `npm run dev` still reads the histories it wrote.
 */
function developmentPayloadKeys(dataDir: string): PayloadKey[] {
  const file = path.join(dataDir, 'temporal-payload-keys');
  let value: string;
  try {
    value = fs.readFileSync(file, 'utf8').trim();
  } catch {
    value = `dev-${Date.now().toString(36)}:${crypto.randomBytes(32).toString('base64')}`;
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(file, value, { mode: 0o600 });
  }
  const problems: string[] = [];
  const keys = parsePayloadKeys(value, problems);
  if (problems.length) throw new ConfigError(problems.map((p) => `${file}: ${p}`));
  return keys;
}

function deepFreeze<T extends object>(obj: T): Readonly<T> {
  for (const value of Object.values(obj)) {
    if (value && typeof value === 'object') deepFreeze(value as object);
  }
  return Object.freeze(obj);
}
