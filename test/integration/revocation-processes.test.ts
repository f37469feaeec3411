import request from 'supertest';
import type { Express } from 'express';
import { createRuntime, type Runtime } from '../../src/runtime';
import { createTestApp, type TestApp } from '../helpers/app';
import { hashPassword } from '../../src/auth/passwords';
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

  it.each(['logout', 'session delete', 'password change'])(
    'a session ended by %s in one process is refused on the next request in every process',
    async (how) => {
      const u = await createUserWithTokens(t.runtime);
      const auth = { Authorization: `Bearer ${u.accessToken}` };
      // Both processes see it live, twice: the second answer comes from the process's own memory.
      for (const app of [t.app, otherApp, t.app, otherApp])
        expect((await request(app).get('/users/me').set(auth)).status).toBe(200);

      // A password change signs out every session (another one of the same user, here).
      const other = how === 'password change' ? await secondSession(u.user.id) : undefined;
      if (other) expect((await request(otherApp).get('/users/me').set(other)).status).toBe(200);
      const ended =
        how === 'logout'
          ? await request(t.app).post('/logout').set(auth)
          : how === 'session delete'
            ? await request(t.app).delete(`/users/me/sessions/${u.sid}`).set(auth)
            : await changePassword(u.user.id, auth);
      expect(ended.status).toBeLessThan(300);

      for (const app of [otherApp, t.app]) {
        const res = await request(app)
          .get('/users/me')
          .set(other ?? auth);
        expect(res.status).toBe(401);
        expect(res.body).toMatchObject({ error: 'token_revoked' });
      }
    },
  );

  it('a deleted API token is refused on the next request in every process', async () => {
    const u = await createUserWithTokens(t.runtime);
    const auth = { Authorization: `Bearer ${u.accessToken}` };
    const created = await request(t.app)
      .post('/users/me/tokens')
      .set(auth)
      .send({ name: 'ci', scopes: ['read'] });
    expect(created.status).toBe(201);
    const bearer = { Authorization: `Bearer ${created.body.token as string}` };
    for (const app of [t.app, otherApp])
      expect((await request(app).get('/users/me').set(bearer)).status).toBe(200);

    await request(t.app)
      .delete(`/users/me/tokens/${created.body.id as number}`)
      .set(auth)
      .expect(200);
    for (const app of [otherApp, t.app])
      expect((await request(app).get('/users/me').set(bearer)).status).toBe(401);
  });

  /** Another login session of the same user, as headers. */
  async function secondSession(userId: number) {
    const { createSessionStore } = await import('../../src/auth/db-session-store');
    const { createTokenService } = await import('../../src/auth/tokens');
    const tokens = createTokenService(t.runtime.config.jwt);
    const sid = `${userId}-second-${Date.now()}`;
    const refresh = tokens.sign('refresh', userId, { sid });
    await createSessionStore(t.runtime.db, t.runtime.cache).create({
      sid,
      userId,
      refreshJti: refresh.jti,
      expiresAt: refresh.expiresAt,
    });
    return { Authorization: `Bearer ${tokens.sign('access', userId, { sid, fresh: true }).token}` };
  }

  async function changePassword(userId: number, auth: Record<string, string>) {
    await t.runtime.db.models.User.update(
      { passwordHash: await hashPassword('old password 123') },
      { where: { id: userId } },
    );
    return request(t.app)
      .post('/users/me/password')
      .set(auth)
      .send({ current_password: 'old password 123', new_password: 'a new password 456' });
  }
});
