import request from 'supertest';
import { createTestApp, type TestApp } from '../helpers/app';
import { startPrivateRedis, type PrivateServer } from '../helpers/private-services';

/**
 * Redis outage on a private redis-server (never the shared one): while it is stopped, authenticated reads
 * still work from the database and login answers 503 (its rate limit must not become unlimited); once it is
 * back the same app uses it again without a restart.
 */
describe('outage: Redis stopped and restarted', () => {
  let redis: PrivateServer;
  let t: TestApp;
  let auth: { Authorization: string };
  const credentials = { email: 'redis-outage@example.com', password: 'Correct-horse-battery-9' };

  beforeAll(async () => {
    redis = await startPrivateRedis();
    t = await createTestApp({ env: { REDIS_URL: redis.url } });
    // The first request of a fresh app is answered normally, not 503 while Redis is still connecting
    // (found on MariaDB + Redis: the runtime now waits, bounded, for the connection before serving).
    const first = await request(t.app)
      .post('/login')
      .send({ email: 'nobody@example.com', password: 'whatever1' });
    expect(first.status).toBe(401);
    const registered = await request(t.app)
      .post('/register')
      .send({ username: 'redis-outage', ...credentials });
    expect(registered.status).toBe(201);
    const login = await request(t.app).post('/login').send(credentials);
    expect(login.status).toBe(200);
    auth = { Authorization: `Bearer ${login.body.access_token}` };
  }, 60_000);

  afterAll(async () => {
    await t?.close().catch(() => undefined);
    await redis?.dispose();
  }, 30_000);

  it('reads work from the database, login answers 503, and both recover by themselves', async () => {
    expect((await request(t.app).get('/users/me').set(auth)).status).toBe(200);
    await redis.stop();

    for (let i = 0; i < 3; i++) {
      const started = Date.now();
      const [me, list] = await Promise.all([
        request(t.app).get('/users/me').set(auth),
        request(t.app).get('/subscriptions').set(auth),
      ]);
      expect([me.status, list.status]).toEqual([200, 200]);
      expect(me.body.email).toBe(credentials.email);
      expect(Date.now() - started).toBeLessThan(2000);
    }
    const started = Date.now();
    const login = await request(t.app).post('/login').send(credentials);
    expect(login.status).toBe(503);
    expect(login.type).toBe('application/json');
    expect(Date.now() - started).toBeLessThan(2000);
    expect((await request(t.app).get('/readyz')).body.checks).toMatchObject({
      redis: 'down',
      database: 'ok',
    });

    await redis.start();
    const deadline = Date.now() + 20_000;
    let status = 0;
    while (Date.now() < deadline) {
      status = (await request(t.app).post('/login').send(credentials)).status;
      if (status === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(status).toBe(200);
    expect((await request(t.app).get('/users/me').set(auth)).status).toBe(200);
    expect((await request(t.app).get('/readyz')).body.checks).toMatchObject({ redis: 'ok' });
  }, 60_000);
});
