import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../src/config';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'st-config-'));
const strongSecret = 'x'.repeat(40);

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
    const config = loadConfig({
      NODE_ENV: 'production',
      JWT_SECRET: strongSecret,
      DATABASE_URL: 'mysql://u:p@db:3306/subtracker',
      REDIS_URL: 'redis://redis:6379/0',
      TEMPORAL_PAYLOAD_KEYS: `k1:${key32()}`,
      DEV_ENDPOINTS: 'true',
    });
    expect(config.env).toBe('production');
    expect(config.devEndpoints).toBe(false);
    expect(config.codec.auth).toBe('admin');
  });

  describe('Temporal payload keys and the codec endpoint', () => {
    const production = {
      NODE_ENV: 'production',
      JWT_SECRET: strongSecret,
      DATABASE_URL: 'mysql://u:p@db:3306/subtracker',
      REDIS_URL: 'redis://redis:6379/0',
    };

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
      expect(() =>
        loadConfig({ ...production, TEMPORAL_PAYLOAD_KEYS: `k:${key32()}`, CODEC_AUTH: 'open' }),
      ).toThrow(/CODEC_AUTH: must be admin in production/);
    });
  });
});

function key32(): string {
  return crypto.randomBytes(32).toString('base64');
}
