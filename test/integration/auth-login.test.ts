import argon2 from 'argon2';
import request from 'supertest';
import { createAccountsApp, randomIp, signUp, type AccountsApp } from '../helpers/accounts';

/** Counts the argon2 verifications (real logins and the dummy one for unknown emails) while `fn` runs. */
async function countVerifications<T>(fn: () => Promise<T>): Promise<{ result: T; verified: number }> {
  const spy = jest.spyOn(argon2, 'verify');
  try {
    const result = await fn();
    return { result, verified: spy.mock.calls.length };
  } finally {
    spy.mockRestore();
  }
}

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

  it('60 parallel wrong passwords from one IP: at most the budget of 5 is evaluated, the rest 429', async () => {
    const u = await signUp(t.app);
    const ip = randomIp();
    const { result, verified } = await countVerifications(() =>
      Promise.all(
        Array.from({ length: 60 }, (_, i) => login({ email: u.email, password: `wrong-${i}` }, ip)),
      ),
    );
    const statuses = result.map((r) => r.status);
    expect(verified).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 401)).toHaveLength(verified);
    expect(statuses.filter((s) => s === 429)).toHaveLength(60 - verified);
    // The owner, from their own address, is not refused for the attacker's failures.
    expect((await login({ email: u.email, password: u.password })).status).toBe(200);
  });

  it("failures from many IPs never refuse the owner's correct password (no lockout per account)", async () => {
    const u = await signUp(t.app);
    for (let round = 0; round < 6; round += 1) {
      const burst = await Promise.all(
        Array.from({ length: 10 }, () => login({ email: u.email, password: 'wrong password' })),
      );
      expect(burst.map((r) => r.status)).toEqual(Array(10).fill(401));
    }
    expect((await login({ email: u.email, password: u.password })).status).toBe(200);
  });
});

describe('POST /login budget per IP across accounts', () => {
  let t: AccountsApp;
  beforeAll(async () => {
    t = await createAccountsApp({ env: { LOGIN_MAX_FAILURES_PER_IP: '8' } });
  });
  afterAll(() => t.close());

  const login = (body: object, ip: string) =>
    request(t.app).post('/login').set('X-Forwarded-For', ip).send(body);

  it('one IP guessing many accounts in parallel gets at most its budget evaluated, then 429', async () => {
    const ip = randomIp();
    const { result, verified } = await countVerifications(() =>
      Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          login({ email: `nobody-${i}-${ip}@example.com`, password: 'x' }, ip),
        ),
      ),
    );
    expect(verified).toBeLessThanOrEqual(8);
    expect(result.filter((r) => r.status === 401)).toHaveLength(verified);
    expect(result.filter((r) => r.status === 429)).toHaveLength(30 - verified);
    const other = await signUp(t.app);
    const blocked = await login({ email: other.email, password: other.password }, ip);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect((await login({ email: other.email, password: other.password }, randomIp())).status).toBe(200);
  });

  it('successful logins give their point back: only failures spend the IP budget', async () => {
    const ip = randomIp();
    const users = await Promise.all(Array.from({ length: 10 }, () => signUp(t.app)));
    for (const u of users) {
      expect((await login({ email: u.email, password: u.password }, ip)).status).toBe(200);
    }
    for (let i = 0; i < 8; i += 1) {
      expect((await login({ email: users[i]!.email, password: 'wrong' }, ip)).status).toBe(401);
    }
    expect((await login({ email: users[9]!.email, password: 'wrong' }, ip)).status).toBe(429);
  });
});

describe('argon2 work is capped per process (PASSWORD_HASH_CONCURRENCY)', () => {
  let t: AccountsApp;
  beforeAll(async () => {
    t = await createAccountsApp({ env: { PASSWORD_HASH_CONCURRENCY: '2' } });
  });
  afterAll(() => t.close());

  it('12 parallel logins all succeed, never more than 2 verifications running at once', async () => {
    const users = await Promise.all(Array.from({ length: 12 }, () => signUp(t.app)));
    const verify = argon2.verify.bind(argon2);
    let running = 0;
    let peak = 0;
    const spy = jest.spyOn(argon2, 'verify').mockImplementation(async (...args) => {
      running += 1;
      peak = Math.max(peak, running);
      try {
        return await verify(...args);
      } finally {
        running -= 1;
      }
    });
    try {
      const logins = await Promise.all(
        users.map((u) =>
          request(t.app)
            .post('/login')
            .set('X-Forwarded-For', randomIp())
            .send({ email: u.email, password: u.password }),
        ),
      );
      expect(logins.map((r) => r.status)).toEqual(Array(12).fill(200));
      expect(spy).toHaveBeenCalledTimes(12);
      expect(peak).toBeLessThanOrEqual(2);
    } finally {
      spy.mockRestore();
    }
  });
});
