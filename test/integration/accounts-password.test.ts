import argon2 from 'argon2';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import {
  createAccountsApp,
  eventually,
  randomIp,
  signUp,
  tokenInMail,
  type AccountsApp,
} from '../helpers/accounts';

describe('forgotten password: POST /password/forgot and /password/reset', () => {
  let t: AccountsApp;
  beforeAll(async () => {
    t = await createAccountsApp();
  });
  afterAll(() => t.close());

  const forgot = (email: string, ip = randomIp()) =>
    request(t.app).post('/password/forgot').set('X-Forwarded-For', ip).send({ email });
  const reset = (token: string, new_password = 'a brand new secret') =>
    request(t.app).post('/password/reset').send({ token, new_password });
  const resetMailFor = (email: string) =>
    eventually(() => t.sent.find((m) => m.to === email && /reset/i.test(m.subject)));

  it('answers 202 with the same body for an unknown and a known address, and mails only the known one', async () => {
    const u = await signUp(t.app);
    const known = await forgot(` ${u.email.toUpperCase()} `);
    const unknown = await forgot(`nobody-${u.email}`);
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(known.body).toEqual(unknown.body);
    const mail = await resetMailFor(u.email);
    expect(mail.text).toContain('https://subtracker.test/password/reset?token=');
    expect(t.sent.some((m) => m.to === `nobody-${u.email}`)).toBe(false);
  });

  it('the link sets a new password, verifies the address and signs out every session', async () => {
    const u = await signUp(t.app);
    await forgot(u.email);
    const token = tokenInMail((await resetMailFor(u.email)).text);
    expect(jwt.decode(token)).toMatchObject({ type: 'password_reset' });
    const res = await reset(token);
    expect(res.status).toBe(200);
    expect((await request(t.app).get('/users/me').set(u.bearer())).body.error).toBe('token_revoked');
    const old = await request(t.app).post('/login').send({ email: u.email, password: u.password });
    expect(old.body.error).toBe('invalid_credentials');
    const login = await request(t.app)
      .post('/login')
      .send({ email: u.email, password: 'a brand new secret' });
    expect(login.status).toBe(200);
    const me = await request(t.app).get('/users/me').set(u.bearer(login.body.access_token));
    expect(me.body.email_verified).toBe(true);
  });

  it('a reset link works once', async () => {
    const u = await signUp(t.app);
    await forgot(u.email);
    const token = tokenInMail((await resetMailFor(u.email)).text);
    expect((await reset(token)).status).toBe(200);
    const again = await reset(token, 'yet another secret');
    expect(again.status).toBe(401);
    expect(again.body.error).toBe('invalid_token');
  });

  it('rejects an expired reset token and a token of another kind', async () => {
    const u = await signUp(t.app);
    const { secret, issuer, audience } = t.runtime.config.jwt;
    const expired = jwt.sign({ type: 'password_reset', data: { pwd: 'x' } }, secret, {
      ...{ algorithm: 'HS256', issuer, audience, subject: String(u.user.id), jwtid: 'j' },
      expiresIn: -1,
    });
    expect((await reset(expired)).body.error).toBe('token_expired');
    expect((await reset(u.accessToken)).body.error).toBe('invalid_token');
  });

  it('answers 422 for a short new password and a missing token', async () => {
    expect((await reset('x', 'short')).body.errors.json).toHaveProperty('new_password');
    const res = await request(t.app).post('/password/reset').send({ new_password: 'long enough secret' });
    expect(res.status).toBe(422);
    expect(res.body.errors.json).toHaveProperty('token');
  });

  it("the emailed link opens a form that sets the password, answered with a page; a used link's page says so", async () => {
    const u = await signUp(t.app);
    await forgot(u.email);
    const link = /https:\/\/subtracker\.test(\/password\/reset\?token=\S+)/.exec(
      (await resetMailFor(u.email)).text,
    )![1]!;
    const token = tokenInMail((await resetMailFor(u.email)).text);

    const form = await request(t.app).get(link);
    expect(form.status).toBe(200);
    expect(form.headers['content-type']).toMatch(/^text\/html/);
    expect(form.text).toContain('<form method="post" action="/password/reset">');
    expect(form.text).toContain(`<input type="hidden" name="token" value="${token}">`);
    expect(form.text).toMatch(/name="new_password" type="password"[^>]* required minlength="8"/);

    const submit = (new_password: string) =>
      request(t.app).post('/password/reset').type('form').send({ token, new_password });
    const done = await submit('set from the page');
    expect(done.status).toBe(200);
    expect(done.headers['content-type']).toMatch(/^text\/html/);
    expect(done.text).toContain('Password changed. Sign in with the new password.');
    const login = await request(t.app).post('/login').send({ email: u.email, password: 'set from the page' });
    expect(login.status).toBe(200);

    const again = await submit('and once more');
    expect(again.status).toBe(401);
    expect(again.headers['content-type']).toMatch(/^text\/html/);
    expect(again.text).toContain('Password not changed');
    expect(again.text).toContain('no longer valid');
  });

  it('the form page escapes whatever token the link carries, and needs one', async () => {
    const hostile = '"><script>alert(1)</script>';
    const page = await request(t.app).get('/password/reset').query({ token: hostile });
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('<script>');
    expect(page.text).toContain('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    const missing = await request(t.app).get('/password/reset');
    expect(missing.status).toBe(422);
    expect(missing.body.errors.query).toHaveProperty('token');
  });

  it('a form elsewhere is refused with 415, and a form with too many fields with 413', async () => {
    const other = await request(t.app).post('/password/forgot').type('form').send({ email: 'a@example.com' });
    expect(other.status).toBe(415);
    const fields = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`f${i}`, 'x']));
    const many = await request(t.app).post('/password/reset').type('form').send(fields);
    expect(many.status).toBe(413);
    expect(many.body.error).toBe('payload_too_large');
  });

  it('mails one address at most 3 times an hour, answering 202 all the same', async () => {
    const u = await signUp(t.app);
    for (let i = 0; i < 5; i += 1) expect((await forgot(u.email)).status).toBe(202);
    await resetMailFor(u.email);
    await new Promise((r) => setTimeout(r, 100));
    expect(t.sent.filter((m) => m.to === u.email).length).toBe(3);
  });

  it('answers 429 after 20 requests from one IP in an hour', async () => {
    const ip = randomIp();
    for (let i = 0; i < 20; i += 1) await forgot(`someone-${i}@example.com`, ip);
    const res = await forgot('someone@example.com', ip);
    expect(res.status).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  });
});

describe('POST /users/me/password', () => {
  let t: AccountsApp;
  beforeAll(async () => {
    t = await createAccountsApp();
  });
  afterAll(() => t.close());

  const change = (token: string, body: object) =>
    request(t.app).post('/users/me/password').set('Authorization', `Bearer ${token}`).send(body);

  it('changes the password, signs out every other session and returns a new fresh pair', async () => {
    const u = await signUp(t.app);
    const other = await request(t.app).post('/login').send({ email: u.email, password: u.password });
    const res = await change(u.accessToken, {
      current_password: u.password,
      new_password: 'a new long secret',
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      message: expect.any(String),
      access_token: expect.any(String),
      refresh_token: expect.any(String),
    });
    expect((await request(t.app).get('/users/me').set(u.bearer(other.body.access_token))).status).toBe(401);
    expect((await request(t.app).get('/fresh-protected').set(u.bearer(res.body.access_token))).status).toBe(
      200,
    );
    expect((await request(t.app).post('/refresh').set(u.bearer(res.body.refresh_token))).status).toBe(200);
    const login = await request(t.app).post('/login').send({ email: u.email, password: 'a new long secret' });
    expect(login.status).toBe(200);
  });

  it('answers 401 invalid_credentials when the current password is wrong, and keeps the session', async () => {
    const u = await signUp(t.app);
    const res = await change(u.accessToken, {
      current_password: 'not it at all',
      new_password: 'a new long secret',
    });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ error: 'invalid_credentials' });
    expect(
      (await request(t.app).get('/users/me').set('Authorization', `Bearer ${u.accessToken}`)).status,
    ).toBe(200);
  });

  it('answers 422 on new_password when it is too short', async () => {
    const u = await signUp(t.app);
    const res = await change(u.accessToken, { current_password: u.password, new_password: 'short' });
    expect(Object.keys(res.body.errors.json)).toEqual(['new_password']);
  });

  it('answers 429 beyond 5 attempts an hour per user, before any password is checked', async () => {
    const u = await signUp(t.app);
    const attempt = (current_password: string) =>
      change(u.accessToken, { current_password, new_password: 'a new long secret' });
    for (let i = 0; i < 5; i += 1) expect((await attempt(`wrong-${i}`)).status).toBe(401);
    const verify = jest.spyOn(argon2, 'verify');
    try {
      const burst = await Promise.all(Array.from({ length: 10 }, () => attempt(u.password)));
      expect(burst.map((r) => r.status)).toEqual(Array(10).fill(429));
      expect(burst[0]!.body).toMatchObject({ code: 429, error: 'rate_limited' });
      expect(Number(burst[0]!.headers['retry-after'])).toBeGreaterThan(59 * 60);
      expect(verify).not.toHaveBeenCalled();
    } finally {
      verify.mockRestore();
    }
    // The budget is the user's: another user's change still goes through.
    const other = await signUp(t.app);
    const res = await change(other.accessToken, {
      current_password: other.password,
      new_password: 'a new long secret',
    });
    expect(res.status).toBe(200);
  });

  it('needs a fresh token', async () => {
    const u = await signUp(t.app);
    const refreshed = await request(t.app).post('/refresh').set(u.bearer(u.refreshToken));
    const res = await change(refreshed.body.access_token, {
      current_password: u.password,
      new_password: 'a new long secret',
    });
    expect(res.body).toMatchObject({ code: 401, error: 'fresh_token_required' });
  });
});
