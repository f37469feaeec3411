import request from 'supertest';
import { createAccountsApp, newAccount, randomIp, signUp, type AccountsApp } from '../helpers/accounts';

/** REDIS_URL points at a closed port: the database answers for sessions; login refuses to go unlimited. */
describe('with Redis down', () => {
  let t: AccountsApp;
  let up: AccountsApp;
  beforeAll(async () => {
    t = await createAccountsApp({ env: { REDIS_URL: 'redis://127.0.0.1:1/0' } });
    up = await createAccountsApp({ shareDatabaseOf: t });
    // The first request compiles the OpenAPI validators; keep that out of the timed request below.
    await request(t.app).get('/guest');
  });
  afterAll(async () => {
    await up.close();
    await t.close();
  });

  it('login answers 503 at once, with Retry-After', async () => {
    const started = Date.now();
    const res = await request(t.app)
      .post('/login')
      .send({ email: 'a@example.com', password: 'whatever it is' });
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ code: 503, error: 'service_unavailable' });
    expect(res.headers['retry-after']).toBeDefined();
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('registration still works (its limit falls back to memory)', async () => {
    const res = await request(t.app).post('/register').set('X-Forwarded-For', randomIp()).send(newAccount());
    expect(res.status).toBe(201);
  });

  it('authenticated requests, refresh and logout work from the database', async () => {
    // /login is what is down, so the session is opened through the service, as a login would.
    const reg = await request(t.app).post('/register').set('X-Forwarded-For', randomIp()).send(newAccount());
    const pair = await t.runtime.services.sessions.open(reg.body.user.id);
    const auth = { Authorization: `Bearer ${pair.accessToken}` };
    expect((await request(t.app).get('/users/me').set(auth)).status).toBe(200);
    const refreshed = await request(t.app)
      .post('/refresh')
      .set({ Authorization: `Bearer ${pair.refreshToken}` });
    expect(refreshed.status).toBe(200);
    expect((await request(t.app).post('/logout').set(auth)).status).toBe(200);
    expect((await request(t.app).get('/users/me').set(auth)).body.error).toBe('token_revoked');
  });

  it('control: the same login succeeds where Redis is reachable (or not configured)', async () => {
    const u = await signUp(up.app);
    expect(u.accessToken).toEqual(expect.any(String));
  });
});
