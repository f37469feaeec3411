import request from 'supertest';
import { createAccountsApp, randomIp, signUp, type AccountsApp } from '../helpers/accounts';

describe('POST /login', () => {
  let t: AccountsApp;
  beforeAll(async () => {
    t = await createAccountsApp();
  });
  afterAll(() => t.close());

  const login = (body: object, ip = randomIp()) =>
    request(t.app).post('/login').set('X-Forwarded-For', ip).send(body);

  it('returns a fresh access token and a refresh token, whatever the case of the email', async () => {
    const u = await signUp(t.app);
    const res = await login({ email: ` ${u.email.toUpperCase()} `, password: u.password });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ access_token: expect.any(String), refresh_token: expect.any(String) });
    const fresh = await request(t.app).get('/fresh-protected').set(u.bearer(res.body.access_token));
    expect(fresh.status).toBe(200);
  });

  it('answers an unknown email and a wrong password with the same 401 invalid_credentials', async () => {
    const u = await signUp(t.app);
    const wrong = await login({ email: u.email, password: 'not the password' });
    const unknown = await login({ email: `nobody-${u.email}`, password: u.password });
    for (const res of [wrong, unknown]) {
      expect(res.status).toBe(401);
      expect(res.body).toEqual({
        code: 401,
        status: 'Unauthorized',
        message: 'Invalid credentials.',
        error: 'invalid_credentials',
      });
    }
  });

  it('answers 422 when a field is missing', async () => {
    const res = await login({ email: 'a@example.com' });
    expect(res.status).toBe(422);
    expect(Object.keys(res.body.errors.json)).toEqual(['password']);
  });

  it('after 5 failures from one IP for one email answers 429 with Retry-After, even to the right password', async () => {
    const u = await signUp(t.app);
    const ip = randomIp();
    for (let i = 0; i < 5; i += 1) {
      expect((await login({ email: u.email, password: `wrong-${i}` }, ip)).status).toBe(401);
    }
    const blocked = await login({ email: u.email, password: u.password }, ip);
    expect(blocked.status).toBe(429);
    expect(blocked.body.error).toBe('rate_limited');
    const retryAfter = Number(blocked.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(14 * 60);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    // Another IP still gets in: the budget is per (IP, email).
    expect((await login({ email: u.email, password: u.password })).status).toBe(200);
  });

  it('a successful login clears the failures counted for that IP and email', async () => {
    const u = await signUp(t.app);
    const ip = randomIp();
    for (let i = 0; i < 4; i += 1) await login({ email: u.email, password: 'wrong password' }, ip);
    expect((await login({ email: u.email, password: u.password }, ip)).status).toBe(200);
    for (let i = 0; i < 4; i += 1) {
      expect((await login({ email: u.email, password: 'wrong password' }, ip)).status).toBe(401);
    }
  });

  it('after 50 failures for one email from any IPs answers 429 for that email', async () => {
    const u = await signUp(t.app);
    for (let i = 0; i < 50; i += 1) await login({ email: u.email, password: 'wrong password' });
    const res = await login({ email: u.email, password: u.password });
    expect(res.status).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(23 * 3600);
  });
});
