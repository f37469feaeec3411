import request from 'supertest';
import { createTestApp, type TestApp } from '../helpers/app';
import { startPrivateMariaDb, type PrivateServer } from '../helpers/private-services';
import { subscriptionBody } from '../helpers/subscriptions';
import { createUserWithTokens } from '../helpers/users';

/**
 * MariaDB outage on a private mariadbd (never the shared one): while it is stopped, requests that need the
 * database answer 503 JSON within a second; once it is back on the same datadir the same app recovers.
 */
describe('outage: MariaDB stopped and restarted', () => {
  let mariadb: PrivateServer;
  let t: TestApp;
  let auth: { Authorization: string };

  beforeAll(async () => {
    mariadb = await startPrivateMariaDb();
    // The in-memory revocation cache: the session check must reach the database.
    t = await createTestApp({ databaseUrl: mariadb.url, env: { REDIS_URL: undefined } });
    ({ auth } = await createUserWithTokens(t.runtime));
  }, 60_000);

  afterAll(async () => {
    await t?.close().catch(() => undefined);
    await mariadb?.dispose();
  }, 30_000);

  const reads = () => [
    request(t.app).get('/subscriptions').set(auth),
    request(t.app).get('/users/me').set(auth),
    request(t.app).get('/stats/summary').set(auth),
  ];

  it('answers from MariaDB while it is up', async () => {
    for (const res of await Promise.all(reads())) expect(res.status).toBe(200);
  });

  it('answers 503 JSON within one second while it is down, and recovers by itself', async () => {
    await mariadb.stop();
    let slowest = 0;
    for (let round = 0; round < 2; round++) {
      for (const call of [
        ...reads(),
        request(t.app).post('/subscriptions').set(auth).send(subscriptionBody()),
      ]) {
        const started = Date.now();
        const res = await call;
        const ms = Date.now() - started;
        slowest = Math.max(slowest, ms);
        expect({ status: res.status, json: res.type, ms: ms < 1000 }).toEqual({
          status: 503,
          json: 'application/json',
          ms: true,
        });
        expect(res.body).toMatchObject({ error: expect.any(String) });
      }
    }
    const ready = await request(t.app).get('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body.checks).toMatchObject({ database: 'down' });

    await mariadb.start();
    const restarted = Date.now();
    const deadline = Date.now() + 20_000;
    let statuses: number[] = [];
    while (Date.now() < deadline) {
      statuses = (await Promise.all(reads())).map((r) => r.status);
      if (statuses.every((s) => s === 200)) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(statuses).toEqual([200, 200, 200]);
    console.log(
      `mariadb outage: 8 requests answered 503 JSON, slowest ${slowest} ms; recovered ${Date.now() - restarted} ms after restart`,
    );
    const created = await request(t.app).post('/subscriptions').set(auth).send(subscriptionBody());
    expect(created.status).toBe(201);
  }, 60_000);
});
