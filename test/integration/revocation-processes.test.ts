import request from 'supertest';
import type { Express } from 'express';
import { createRuntime, type Runtime } from '../../src/runtime';
import { createTestApp, type TestApp } from '../helpers/app';
import { createUserWithTokens } from '../helpers/users';

/**
 * Two API processes (two runtimes on one database, each with its own Redis connection and session cache):
 * a session revoked through one is refused by the other on its very next request, although the other had
 * just seen it live. Several processes require Redis (config refuses API_WORKERS > 1 without it), so this
 * runs where REDIS_URL is set: the MariaDB/Redis run of the integration tests.
 */
const withRedis = process.env.REDIS_URL ? describe : describe.skip;

withRedis('revocation across API processes', () => {
  let t: TestApp;
  let other: Runtime;
  let otherApp: Express;
  beforeAll(async () => {
    t = await createTestApp();
    const { config, logger, db, mailer } = t.runtime;
    other = createRuntime(config, logger, { db, mailer, temporalAddress: '127.0.0.1:1' });
    await other.ready();
    otherApp = other.createApp();
  });
  afterAll(async () => {
    await other.close();
    await t.close();
  });

  it.each(['logout', 'session delete'])(
    'a session ended by %s in one process is refused on the next request in every process',
    async (how) => {
      const u = await createUserWithTokens(t.runtime);
      const auth = { Authorization: `Bearer ${u.accessToken}` };
      // Both processes see it live (and remember that for up to a minute).
      for (const app of [t.app, otherApp])
        expect((await request(app).get('/users/me').set(auth)).status).toBe(200);

      const ended =
        how === 'logout'
          ? await request(t.app).post('/logout').set(auth)
          : await request(t.app).delete(`/users/me/sessions/${u.sid}`).set(auth);
      expect(ended.status).toBeLessThan(300);

      for (const app of [otherApp, t.app]) {
        const res = await request(app).get('/users/me').set(auth);
        expect(res.status).toBe(401);
        expect(res.body).toMatchObject({ error: 'token_revoked' });
      }
    },
  );
});
