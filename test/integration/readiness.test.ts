import request from 'supertest';
import { createTestApp } from '../helpers/app';
import { createUserWithTokens } from '../helpers/users';

/** Dependencies that are down answer 503 at once (client timeouts), never a crash or a minute of retries. */
describe('readiness and outages', () => {
  it('reports Temporal down by name when it does not answer, within the 1 s check timeout', async () => {
    const t = await createTestApp({ temporalAddress: '127.0.0.1:1' });
    try {
      await request(t.app).get('/readyz'); // the first probe also loads the gRPC stack
      const started = Date.now();
      const res = await request(t.app).get('/readyz');
      expect(Date.now() - started).toBeLessThan(2000); // checks time out at 1 s; slack for a loaded CI machine
      expect(res.status).toBe(503);
      expect(res.body.checks).toMatchObject({ database: 'ok', temporal: 'down' });
      expect(res.body.message).toMatch(/temporal/);
      expect((await request(t.app).get('/healthz')).status).toBe(200);
    } finally {
      await t.close();
    }
  });

  it('with Redis stopped, readiness names Redis within the check timeout and auth falls back to the database', async () => {
    const t = await createTestApp({ env: { REDIS_URL: 'redis://127.0.0.1:1/0' } });
    try {
      const u = await createUserWithTokens(t.runtime);
      const started = Date.now();
      const res = await request(t.app).get('/readyz');
      expect(Date.now() - started).toBeLessThan(2000); // checks time out at 1 s; slack for a loaded CI machine
      expect(res.status).toBe(503);
      expect(res.body.checks.redis).toBe('down');
      const me = await request(t.app).get('/users/me').set(u.auth);
      expect(me.status).toBe(200);
    } finally {
      await t.close();
    }
  });

  it('answers 503 with Retry-After within a second when the database is unreachable', async () => {
    const t = await createTestApp();
    try {
      const u = await createUserWithTokens(t.runtime);
      // Swap the database for one that cannot be reached: the token is valid, the session lookup is not.
      const { createDatabase } = await import('../../src/db/database');
      const broken = createDatabase({ url: 'mysql://nobody:x@127.0.0.1:1/none', sqlitePath: '', poolMax: 1 });
      const { createRuntime } = await import('../../src/runtime');
      const { createLogger } = await import('../../src/logger');
      const runtime = createRuntime(t.runtime.config, createLogger('silent'), {
        db: broken,
        temporalAddress: '127.0.0.1:1',
      });
      try {
        const app = runtime.createApp();
        await request(app).get('/guest'); // the first validated request compiles the contract
        const started = Date.now();
        const res = await request(app).get('/users/me').set(u.auth);
        expect(Date.now() - started).toBeLessThan(1000);
        expect(res.status).toBe(503);
        expect(res.headers['retry-after']).toBeDefined();
        expect(res.body).toMatchObject({ code: 503, error: 'service_unavailable' });
        const ready = await request(app).get('/readyz');
        expect(ready.status).toBe(503);
        expect(ready.body.checks.database).toBe('down');
      } finally {
        await runtime.close();
      }
    } finally {
      await t.close();
    }
  });
});
