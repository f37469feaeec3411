import jwt from 'jsonwebtoken';
import request from 'supertest';
import { createAccountsApp, signUp, tokenInMail, type AccountsApp } from '../helpers/accounts';

describe('email verification and unsubscribe links', () => {
  let t: AccountsApp;
  beforeAll(async () => {
    t = await createAccountsApp();
  });
  afterAll(() => t.close());

  const resend = (token: string) =>
    request(t.app).post('/users/me/verification').set('Authorization', `Bearer ${token}`);
  const linkToken = (userId: number, type: 'verify_email' | 'unsubscribe', data?: object) => {
    const { secret, issuer, audience } = t.runtime.config.jwt;
    return jwt.sign({ type, ...(data ? { data } : {}) }, secret, {
      ...{ algorithm: 'HS256', issuer, audience, subject: String(userId), jwtid: `j-${Math.random()}` },
      expiresIn: 600,
    });
  };

  it('POST /users/me/verification mails a link that POST /verify-email accepts', async () => {
    const u = await signUp(t.app);
    const res = await resend(u.accessToken);
    expect(res.status).toBe(202);
    const mail = t.sent.find((m) => m.to === u.email);
    expect(mail?.subject).toMatch(/confirm/i);
    const verified = await request(t.app)
      .post('/verify-email')
      .send({ token: tokenInMail(mail!.text) });
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({
      message: expect.any(String),
      user: { id: u.user.id, email_verified: true },
    });
  });

  it('GET /verify-email?token= works when the link is opened directly, and confirming twice is fine', async () => {
    const u = await signUp(t.app);
    const token = linkToken(u.user.id, 'verify_email');
    for (let i = 0; i < 2; i += 1) {
      const res = await request(t.app).get('/verify-email').query({ token });
      expect(res.status).toBe(200);
      expect(res.body.user.email_verified).toBe(true);
    }
  });

  it('rejects a bad or misused token and answers 404 for a deleted user', async () => {
    const u = await signUp(t.app);
    const bad = await request(t.app).post('/verify-email').send({ token: 'nonsense' });
    expect(bad.body).toMatchObject({ code: 401, error: 'invalid_token' });
    const misused = await request(t.app)
      .post('/verify-email')
      .send({ token: linkToken(u.user.id, 'unsubscribe') });
    expect(misused.body.error).toBe('invalid_token');
    const gone = await request(t.app)
      .post('/verify-email')
      .send({ token: linkToken(999_999, 'verify_email') });
    expect(gone.status).toBe(404);
    const missing = await request(t.app).post('/verify-email').send({});
    expect(missing.status).toBe(422);
    expect(missing.body.errors.json).toHaveProperty('token');
  });

  it('answers 409 already_verified when there is nothing to confirm', async () => {
    const u = await signUp(t.app);
    await request(t.app)
      .get('/verify-email')
      .query({ token: linkToken(u.user.id, 'verify_email') });
    const res = await resend(u.accessToken);
    expect(res.status).toBe(409);
    expect(res.body.error).toBe('already_verified');
  });

  it('sends the link again at most 3 times an hour, then 429 with Retry-After', async () => {
    const u = await signUp(t.app);
    for (let i = 0; i < 3; i += 1) expect((await resend(u.accessToken)).status).toBe(202);
    const res = await resend(u.accessToken);
    expect(res.status).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('answers 401 without a token', async () => {
    expect((await request(t.app).post('/users/me/verification')).body.error).toBe('authorization_required');
  });

  it.each([
    ['reminders', { reminders_enabled: false, monthly_report: true }],
    ['reports', { reminders_enabled: true, monthly_report: false }],
  ])('GET /unsubscribe turns %s off without a login', async (what, expected) => {
    const u = await signUp(t.app);
    const res = await request(t.app)
      .get('/unsubscribe')
      .query({ token: linkToken(u.user.id, 'unsubscribe', { what }) });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ message: expect.any(String), unsubscribed: what });
    expect((await request(t.app).get('/users/me').set(u.bearer())).body).toMatchObject(expected);
  });

  it('GET /unsubscribe rejects a forged, misused or incomplete token', async () => {
    const u = await signUp(t.app);
    const forged = await request(t.app)
      .get('/unsubscribe')
      .query({ token: `${linkToken(u.user.id, 'unsubscribe', { what: 'reports' })}x` });
    expect(forged.body.error).toBe('invalid_token');
    const misused = await request(t.app)
      .get('/unsubscribe')
      .query({ token: linkToken(u.user.id, 'verify_email') });
    expect(misused.body.error).toBe('invalid_token');
    const noWhat = await request(t.app)
      .get('/unsubscribe')
      .query({ token: linkToken(u.user.id, 'unsubscribe') });
    expect(noWhat.body.error).toBe('invalid_token');
    const missing = await request(t.app).get('/unsubscribe');
    expect(missing.status).toBe(422);
    const gone = await request(t.app)
      .get('/unsubscribe')
      .query({ token: linkToken(999_999, 'unsubscribe', { what: 'reports' }) });
    expect(gone.status).toBe(404);
  });
});
