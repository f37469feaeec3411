import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'st-config-'));

describe('configuration of login budgets, password hashing and session lifetime', () => {
  it('defaults: 5 failures per account and IP, 50 per IP, in 15 minutes; 5 changes an hour; one hash per core', () => {
    const config = loadConfig({ DATA_DIR: tmp() });
    expect(config.login).toEqual({ maxFailuresPerAccountIp: 5, maxFailuresPerIp: 50, windowSeconds: 900 });
    expect(config.passwordChangesPerHour).toBe(5);
    expect(config.passwordHashConcurrency).toBe(os.availableParallelism());
    expect(config.sessionMaxAgeSeconds).toBe(30 * 24 * 3600);
  });

  it('reads each setting, and refuses a budget of zero', () => {
    const config = loadConfig({
      DATA_DIR: tmp(),
      LOGIN_MAX_FAILURES_PER_ACCOUNT_IP: '3',
      LOGIN_MAX_FAILURES_PER_IP: '20',
      LOGIN_FAILURE_WINDOW_MINUTES: '60',
      PASSWORD_CHANGE_MAX_PER_HOUR: '2',
      PASSWORD_HASH_CONCURRENCY: '1',
      SESSION_MAX_AGE_DAYS: '7',
    });
    expect(config.login).toEqual({ maxFailuresPerAccountIp: 3, maxFailuresPerIp: 20, windowSeconds: 3600 });
    expect(config.passwordChangesPerHour).toBe(2);
    expect(config.passwordHashConcurrency).toBe(1);
    expect(config.sessionMaxAgeSeconds).toBe(7 * 24 * 3600);
    const cores = os.availableParallelism();
    const clustered = loadConfig({
      DATA_DIR: tmp(),
      API_WORKERS: String(cores),
      REDIS_URL: 'redis://127.0.0.1:6379/0',
    });
    expect(clustered.passwordHashConcurrency).toBe(1);
    expect(() => loadConfig({ DATA_DIR: tmp(), LOGIN_MAX_FAILURES_PER_IP: '0' })).toThrow(
      /LOGIN_MAX_FAILURES_PER_IP/,
    );
    expect(() => loadConfig({ DATA_DIR: tmp(), PASSWORD_HASH_CONCURRENCY: '0' })).toThrow(
      /PASSWORD_HASH_CONCURRENCY/,
    );
  });
});
