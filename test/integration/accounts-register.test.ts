import request from 'supertest';
import { createAccountsApp, newAccount, randomIp, type AccountsApp } from '../helpers/accounts';

describe('POST /register', () => {
  let t: AccountsApp;
  beforeAll(async () => {
    t = await createAccountsApp();
  });
  afterAll(() => t.close());

  const register = (body: object, ip = randomIp()) =>
    request(t.app).post('/register').set('X-Forwarded-For', ip).send(body);

  it('creates the user and answers 201 with the seed message and the user with its settings', async () => {
    const account = newAccount();
    const res = await register({ ...account, email: `  ${account.email.toUpperCase()} ` });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      message: 'User created successfully.',
      user: expect.objectContaining({
        id: expect.any(Number),
        username: account.username,
        email: account.email.toUpperCase(),
        created_at: expect.any(String),
        role: 'user',
        email_verified: false,
        timezone: 'UTC',
        reminder_hour: 9,
        reminder_offsets: [7, 1],
        currency: 'USD',
        monthly_report: true,
        reminders_enabled: true,
      }),
    });
    expect(JSON.stringify(res.body)).not.toMatch(/password|hash/);
  });

  it('still succeeds when Temporal is down, leaving the welcome to the reminder check', async () => {
    const res = await register(newAccount());
    expect(res.status).toBe(201);
    const user = await t.runtime.db.models.User.findByPk(res.body.user.id);
    expect(user?.welcomeStartedAt).toBeNull();
  });

  it('answers 409 email_taken for the same address in another case and with spaces', async () => {
    const account = newAccount();
    expect((await register(account)).status).toBe(201);
    const again = await register({ ...newAccount(), email: ` ${account.email.toUpperCase()}` });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({
      code: 409,
      error: 'email_taken',
      message: 'A user with that email already exists.',
    });
  });

  it('lets exactly one of several concurrent registrations of one address succeed', async () => {
    const email = newAccount().email;
    const results = await Promise.all(
      [0, 1, 2, 3].map((i) => register({ ...newAccount(), email: i % 2 ? email : email.toUpperCase() })),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 409, 409, 409]);
    expect(results.filter((r) => r.status === 409).every((r) => r.body.error === 'email_taken')).toBe(true);
    expect(await t.runtime.db.models.User.count({ where: { emailKey: email.toLowerCase() } })).toBe(1);
  });

  it('names every missing field in 422 errors.json', async () => {
    const res = await register({});
    expect(res.status).toBe(422);
    expect(Object.keys(res.body.errors.json).sort()).toEqual(['email', 'password', 'username']);
  });

  it.each([
    ['username', 'shorter than 3', { username: 'ab' }],
    ['username', 'longer than 80', { username: 'x'.repeat(81) }],
    ['email', 'not an address', { email: 'not-an-email' }],
    ['email', 'longer than 254', { email: `${'a'.repeat(250)}@example.com` }],
    ['password', 'shorter than 8', { password: 'short' }],
    ['password', 'longer than 128', { password: 'p'.repeat(129) }],
  ])('answers 422 on %s when it is %s', async (field, _case, override) => {
    const res = await register(newAccount(override));
    expect(res.status).toBe(422);
    expect(res.body.error).toBe('validation_failed');
    expect(Object.keys(res.body.errors.json)).toEqual([field]);
  });

  it('allows 10 registrations per IP per hour, then answers 429 with Retry-After', async () => {
    const ip = randomIp();
    for (let i = 0; i < 10; i += 1)
      expect((await register(newAccount({ password: 'x' }), ip)).status).toBe(422);
    for (let i = 0; i < 10; i += 1) expect((await register(newAccount(), ip)).status).toBe(201);
    const res = await register(newAccount(), ip);
    expect(res.status).toBe(429);
    expect(res.body).toMatchObject({ code: 429, error: 'rate_limited' });
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(3000);
  });
});
