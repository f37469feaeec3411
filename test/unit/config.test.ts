import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig, MIN_SECRET_BITS, secretEntropyBits } from '../../src/config';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'st-config-'));
// A production secret must look random now: 'x'.repeat(40) is refused there (see below).
const strongSecret = crypto.randomBytes(48).toString('base64url');
const production = {
  NODE_ENV: 'production',
  JWT_SECRET: strongSecret,
  DATABASE_URL: 'mysql://u:p@db:3306/subtracker',
  REDIS_URL: 'redis://redis:6379/0',
  TEMPORAL_PAYLOAD_KEYS: `k1:${crypto.randomBytes(32).toString('base64')}`,
};

/** The problems loadConfig reports for `env`, or [] when it starts. */
function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig({ DATA_DIR: tmp(), ...env });
    return [];
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return err.problems;
  }
}

describe('configuration', () => {
  it('uses the embedded defaults when nothing is set', () => {
    const dir = tmp();
    const config = loadConfig({ DATA_DIR: dir });
    expect(config.port).toBe(3000);
    expect(config.database.url).toBeUndefined();
    expect(config.database.sqlitePath).toBe(path.join(dir, 'subtracker.sqlite'));
    expect(config.redisUrl).toBeUndefined();
    expect(config.temporal.address).toBeUndefined();
    expect(config.temporal.devPort).toBe(7233);
    expect(config.temporal.uiPort).toBe(8233);
    expect(config.temporal.maxCachedWorkflows).toBe(1000);
    expect(config.mail.apiKey).toBeUndefined();
    expect(config.mail.outboxDir).toBe(path.join(dir, 'outbox'));
  });

  it('is frozen, nested objects included', () => {
    const config = loadConfig({ DATA_DIR: tmp() });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.jwt)).toBe(true);
  });

  it('generates a development secret once and keeps it under DATA_DIR', () => {
    const dir = tmp();
    const first = loadConfig({ DATA_DIR: dir }).jwt.secret;
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(loadConfig({ DATA_DIR: dir }).jwt.secret).toBe(first);
  });

  it('accepts the seed name JWT_SECRET_KEY', () => {
    expect(loadConfig({ DATA_DIR: tmp(), JWT_SECRET_KEY: strongSecret }).jwt.secret).toBe(strongSecret);
  });

  it('lets two instances run side by side with their own ports and data', () => {
    const a = loadConfig({
      DATA_DIR: tmp(),
      PORT: '3001',
      TEMPORAL_DEV_PORT: '7301',
      TEMPORAL_UI_PORT: '8301',
    });
    const b = loadConfig({
      DATA_DIR: tmp(),
      PORT: '3002',
      TEMPORAL_DEV_PORT: '7302',
      TEMPORAL_UI_PORT: '8302',
    });
    expect([a.port, a.temporal.devPort, a.temporal.uiPort]).toEqual([3001, 7301, 8301]);
    expect([b.port, b.temporal.devPort, b.temporal.uiPort]).toEqual([3002, 7302, 8302]);
    expect(a.database.sqlitePath).not.toBe(b.database.sqlitePath);
  });

  it('stops on an invalid value with one line naming the key and what it must be', () => {
    expect(() => loadConfig({ DATA_DIR: tmp(), PORT: 'eighty' })).toThrow(/PORT: must be a port number/);
    expect(() => loadConfig({ DATA_DIR: tmp(), REDIS_URL: 'localhost:6379' })).toThrow(
      /REDIS_URL: must be a redis:\/\/ URL/,
    );
    expect(() => loadConfig({ DATA_DIR: tmp(), REFRESH_ROTATION: 'maybe' })).toThrow(/REFRESH_ROTATION/);
    expect(() => loadConfig({ DATA_DIR: tmp(), WORKER_MAX_CACHED_WORKFLOWS: '-1' })).toThrow(
      /WORKER_MAX_CACHED_WORKFLOWS/,
    );
    expect(
      loadConfig({ DATA_DIR: tmp(), WORKER_MAX_CACHED_WORKFLOWS: '250' }).temporal.maxCachedWorkflows,
    ).toBe(250);
  });

  it('refuses to start in production without a strong secret, a database and Redis', () => {
    let error: ConfigError | undefined;
    try {
      loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'secret', DATA_DIR: tmp() });
    } catch (err) {
      error = err as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.problems).toEqual([
      'JWT_SECRET: must be set to at least 32 bytes in production',
      'DATABASE_URL: must be set in production',
      'REDIS_URL: must be set in production',
      'TEMPORAL_PAYLOAD_KEYS: must be set in production',
    ]);
  });

  it('starts in production when all three are given', () => {
    const config = loadConfig({ ...production, DEV_ENDPOINTS: 'true' });
    expect(config.env).toBe('production');
    expect(config.devEndpoints).toBe(false);
    expect(config.codec.auth).toBe('admin');
  });

  it('runs one API process per core in production unless API_WORKERS says otherwise, one elsewhere', () => {
    const cores = os.availableParallelism();
    expect(loadConfig({ DATA_DIR: tmp(), ...production }).apiWorkers).toBe(cores);
    expect(loadConfig({ DATA_DIR: tmp(), ...production, API_WORKERS: '1' }).apiWorkers).toBe(1);
    expect(loadConfig({ DATA_DIR: tmp() }).apiWorkers).toBe(1);
    expect(
      loadConfig({ DATA_DIR: tmp(), API_WORKERS: '2', REDIS_URL: 'redis://127.0.0.1:6379/0' }).apiWorkers,
    ).toBe(2);
  });

  it('refuses several API processes without Redis: a revocation must reach every process', () => {
    expect(problemsOf({ API_WORKERS: '2' })).toEqual([
      'API_WORKERS: more than one process needs REDIS_URL (revocations and rate limits are shared there)',
    ]);
    expect(problemsOf({ API_WORKERS: '1' })).toEqual([]);
  });

  describe('Temporal payload keys and the codec endpoint', () => {
    it('reads id:base64 pairs, the first one current, every one kept for decoding', () => {
      const [a, b] = [key32(), key32()];
      const config = loadConfig({ DATA_DIR: tmp(), TEMPORAL_PAYLOAD_KEYS: `2026-12:${a}, 2026-06:${b}` });
      expect(config.temporal.payloadKeys).toEqual([
        { id: '2026-12', key: a },
        { id: '2026-06', key: b },
      ]);
    });

    it('refuses a key that is not 32 bytes, a malformed list and a repeated id, naming the key', () => {
      expect(() => loadConfig({ DATA_DIR: tmp(), TEMPORAL_PAYLOAD_KEYS: 'k1:c2hvcnQ=' })).toThrow(
        /TEMPORAL_PAYLOAD_KEYS: key "k1" must be 32 bytes/,
      );
      expect(() => loadConfig({ DATA_DIR: tmp(), TEMPORAL_PAYLOAD_KEYS: key32() })).toThrow(
        /TEMPORAL_PAYLOAD_KEYS: must be id:base64key/,
      );
      const k = key32();
      expect(() => loadConfig({ DATA_DIR: tmp(), TEMPORAL_PAYLOAD_KEYS: `a:${k},a:${k}` })).toThrow(
        /key ids must be unique/,
      );
    });

    it('outside production, with no key, generates one under DATA_DIR and reads the same one after a restart', () => {
      const dir = tmp();
      const first = loadConfig({ DATA_DIR: dir }).temporal.payloadKeys;
      expect(first).toHaveLength(1);
      expect(Buffer.from(first[0].key, 'base64')).toHaveLength(32);
      expect(fs.statSync(path.join(dir, 'temporal-payload-keys')).mode & 0o077).toBe(0);
      expect(loadConfig({ DATA_DIR: dir }).temporal.payloadKeys).toEqual(first);
    });

    it('opens the codec endpoint only on the embedded defaults, to the dev Web UI origins', () => {
      const embedded = loadConfig({ DATA_DIR: tmp(), TEMPORAL_UI_PORT: '8300' });
      expect(embedded.codec).toEqual({
        auth: 'open',
        corsOrigins: ['http://localhost:8300', 'http://127.0.0.1:8300'],
      });
      const external = loadConfig({ DATA_DIR: tmp(), TEMPORAL_ADDRESS: 'temporal:7233' });
      expect(external.codec).toEqual({ auth: 'admin', corsOrigins: [] });
      expect(loadConfig({ DATA_DIR: tmp(), NODE_ENV: 'test' }).codec.auth).toBe('admin');
      expect(
        loadConfig({ DATA_DIR: tmp(), CODEC_CORS_ORIGINS: 'http://localhost:8080' }).codec.corsOrigins,
      ).toEqual(['http://localhost:8080']);
    });

    it('refuses an open codec endpoint in production', () => {
      expect(() => loadConfig({ ...production, CODEC_AUTH: 'open' })).toThrow(
        /CODEC_AUTH: must be admin in production/,
      );
    });
  });

  describe('production secrets', () => {
    it('refuses the JWT secret of .env.example, whose value is public', () => {
      const example = fs
        .readFileSync(path.join(__dirname, '../../.env.example'), 'utf8')
        .match(/^JWT_SECRET=(.*)$/m)![1];
      expect(problemsOf({ ...production, JWT_SECRET: example })).toEqual([
        'JWT_SECRET: must be set to at least 32 bytes in production',
      ]);
    });

    it.each([
      ['one character repeated', 'a'.repeat(64)],
      ['two characters alternating', 'ab'.repeat(40)],
      ['eight characters repeated', 'abcdefgh'.repeat(4)],
    ])('refuses a long but low-diversity secret: %s', (_name, secret) => {
      expect(problemsOf({ ...production, JWT_SECRET: secret })).toEqual([
        expect.stringMatching(/^JWT_SECRET: too predictable \(about \d+ bits, at least 128 needed\)/),
      ]);
    });

    it.each([
      ['openssl rand -base64 48', crypto.randomBytes(48).toString('base64')],
      ['openssl rand -hex 32', crypto.randomBytes(32).toString('hex')],
    ])('accepts a generated secret: %s', (_name, secret) => {
      expect(problemsOf({ ...production, JWT_SECRET: secret })).toEqual([]);
    });

    it('estimates entropy from character frequencies: length times bits per character', () => {
      expect(secretEntropyBits('a'.repeat(100))).toBe(0);
      expect(secretEntropyBits('ab'.repeat(50))).toBe(100);
      expect(secretEntropyBits('0123456789abcdef'.repeat(2))).toBe(128);
      expect(secretEntropyBits('0123456789abcdef'.repeat(2))).toBeGreaterThanOrEqual(MIN_SECRET_BITS);
    });

    it('keeps only the 32-byte floor outside production', () => {
      expect(problemsOf({ JWT_SECRET: 'a'.repeat(32) })).toEqual([]);
    });
  });

  describe('TRUST_PROXY', () => {
    it('takes a hop count or addresses and subnets', () => {
      expect(loadConfig({ DATA_DIR: tmp(), TRUST_PROXY: '2' }).trustProxy).toBe(2);
      expect(loadConfig({ DATA_DIR: tmp(), TRUST_PROXY: 'false' }).trustProxy).toBe(false);
      expect(
        loadConfig({ ...production, TRUST_PROXY: '10.0.0.0/8, 127.0.0.1,::1,loopback' }).trustProxy,
      ).toBe('10.0.0.0/8,127.0.0.1,::1,loopback');
    });

    it('refuses a bare true in production, where any client could set its own address', () => {
      expect(problemsOf({ ...production, TRUST_PROXY: 'true' })).toEqual([
        expect.stringMatching(/^TRUST_PROXY: true trusts any client-sent X-Forwarded-For in production/),
      ]);
      expect(loadConfig({ DATA_DIR: tmp(), TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    });

    it.each(['yes', '10.0.0.0/33', '10.0.0/8', 'proxy.internal', '1.2.3.4/8/1'])(
      'refuses what is neither a count nor an address: %s',
      (value) => {
        expect(problemsOf({ TRUST_PROXY: value })).toEqual([expect.stringMatching(/^TRUST_PROXY: must be/)]);
      },
    );
  });

  it('allows 500 subscriptions a user unless MAX_SUBSCRIPTIONS_PER_USER says otherwise', () => {
    expect(loadConfig({ DATA_DIR: tmp() }).maxSubscriptionsPerUser).toBe(500);
    expect(loadConfig({ DATA_DIR: tmp(), MAX_SUBSCRIPTIONS_PER_USER: '20' }).maxSubscriptionsPerUser).toBe(
      20,
    );
    expect(problemsOf({ MAX_SUBSCRIPTIONS_PER_USER: '0' })).toEqual([
      expect.stringMatching(/^MAX_SUBSCRIPTIONS_PER_USER:/),
    ]);
  });

  it('fetches the ECB rates daily at 16:00 UTC from the ECB unless told another cron or other URLs', () => {
    const defaults = loadConfig({ DATA_DIR: tmp() });
    expect(defaults.temporal.exchangeRatesCron).toBe('0 16 * * *');
    expect(defaults.exchangeRates.urls).toEqual({
      daily: 'https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml',
      history: 'https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist-90d.xml',
    });
    const mirrored = loadConfig({
      DATA_DIR: tmp(),
      EXCHANGE_RATES_CRON: '30 17 * * 1-5',
      EXCHANGE_RATES_DAILY_URL: 'http://mirror.internal/daily.xml',
      EXCHANGE_RATES_HISTORY_URL: 'http://mirror.internal/hist-90d.xml',
    });
    expect(mirrored.temporal.exchangeRatesCron).toBe('30 17 * * 1-5');
    expect(mirrored.exchangeRates.urls).toEqual({
      daily: 'http://mirror.internal/daily.xml',
      history: 'http://mirror.internal/hist-90d.xml',
    });
    expect(problemsOf({ EXCHANGE_RATES_DAILY_URL: 'ecb', EXCHANGE_RATES_CRON: 'daily' })).toEqual([
      'EXCHANGE_RATES_CRON: must be a five-field cron expression',
      'EXCHANGE_RATES_DAILY_URL: must be a URL',
    ]);
  });

  it('takes imports up to 1mb and 1000 rows unless IMPORT_MAX_BYTES and IMPORT_MAX_ROWS say otherwise', () => {
    expect(loadConfig({ DATA_DIR: tmp() }).imports).toEqual({ maxBytes: '1mb', maxRows: 1000 });
    expect(loadConfig({ DATA_DIR: tmp(), IMPORT_MAX_BYTES: '200kb', IMPORT_MAX_ROWS: '50' }).imports).toEqual(
      { maxBytes: '200kb', maxRows: 50 },
    );
    expect(problemsOf({ IMPORT_MAX_BYTES: 'lots', IMPORT_MAX_ROWS: '0' })).toEqual([
      expect.stringMatching(/^IMPORT_MAX_BYTES: must look like 1mb/),
      expect.stringMatching(/^IMPORT_MAX_ROWS:/),
    ]);
  });

  describe('API_DOCS', () => {
    it('serves the docs outside production by default and in production only when asked', () => {
      expect(loadConfig({ DATA_DIR: tmp() }).apiDocs).toBe(true);
      expect(loadConfig({ DATA_DIR: tmp(), API_DOCS: 'false' }).apiDocs).toBe(false);
      expect(loadConfig({ DATA_DIR: tmp(), ...production }).apiDocs).toBe(false);
      expect(loadConfig({ DATA_DIR: tmp(), ...production, API_DOCS: 'true' }).apiDocs).toBe(true);
    });
  });
});

function key32(): string {
  return crypto.randomBytes(32).toString('base64');
}
