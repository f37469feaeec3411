import jwt from 'jsonwebtoken';
import request from 'supertest';
import { createTokenService } from '../../src/auth/tokens';
import { createLinks } from '../../src/services/links';
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

  const settingsOf = async (u: Awaited<ReturnType<typeof signUp>>) => {
    const me = (await request(t.app).get('/users/me').set(u.bearer())).body;
    return { reminders_enabled: me.reminders_enabled, monthly_report: me.monthly_report };
  };
  const bothOn = { reminders_enabled: true, monthly_report: true };
  /** What a mail client sends for List-Unsubscribe-Post: One-Click (RFC 8058 section 3.1). */
  const oneClick = (token: string) =>
    request(t.app)
      .post(`/unsubscribe?token=${encodeURIComponent(token)}`)
      .type('form')
      .send('List-Unsubscribe=One-Click');

  it.each(['reminders', 'reports'])(
    'GET /unsubscribe (%s) shows a confirmation page whose button posts, and changes nothing',
    async (what) => {
      const u = await signUp(t.app);
      const token = linkToken(u.user.id, 'unsubscribe', { what });
      // A link scanner, then a person, opens the link: nothing is turned off by either.
      for (let i = 0; i < 2; i += 1) {
        const res = await request(t.app).get('/unsubscribe').query({ token }).set('Accept', 'text/html');
        expect(res.status).toBe(200);
        expect(res.headers['content-type']).toMatch(/^text\/html/);
        expect(res.text).toContain(
          `<form method="post" action="/unsubscribe?token=${encodeURIComponent(token)}">`,
        );
        expect(res.text).toContain('<input type="hidden" name="List-Unsubscribe" value="One-Click">');
        expect(res.text).toContain(what === 'reminders' ? 'payment reminders' : 'monthly spending reports');
      }
      expect(await request(t.app).get('/unsubscribe').query({ token })).toHaveProperty('status', 200);
      expect(await settingsOf(u)).toEqual(bothOn);
    },
  );

  it.each([
    ['reminders', { reminders_enabled: false, monthly_report: true }],
    ['reports', { reminders_enabled: true, monthly_report: false }],
  ])('POST /unsubscribe, one click per RFC 8058, turns %s off without a login', async (what, expected) => {
    const u = await signUp(t.app);
    const token = linkToken(u.user.id, 'unsubscribe', { what });
    const res = await oneClick(token);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ message: expect.any(String), unsubscribed: what });
    expect(await settingsOf(u)).toEqual(expected);
    // A retry by the mail client is harmless.
    expect((await oneClick(token)).status).toBe(200);
    expect(await settingsOf(u)).toEqual(expected);
    // RFC 8058 wants clients to send multipart/form-data (most do): the same request in that encoding.
    const multipart = await request(t.app)
      .post(`/unsubscribe?token=${encodeURIComponent(token)}`)
      .field('List-Unsubscribe', 'One-Click');
    expect(multipart.status).toBe(200);
    expect(multipart.body).toEqual({ message: expect.any(String), unsubscribed: what });
    // A file in that form is refused before it is buffered.
    const upload = await request(t.app)
      .post(`/unsubscribe?token=${encodeURIComponent(token)}`)
      .field('List-Unsubscribe', 'One-Click')
      .attach('blob', Buffer.alloc(64 * 1024), 'blob.bin');
    expect(upload.status).toBe(413);
    expect(upload.body).toMatchObject({ code: 413, message: expect.any(String) });
    // A malformed form (what schemathesis sent) is a clear 400, never a 500.
    const malformed = await request(t.app)
      .post(`/unsubscribe?token=${encodeURIComponent(token)}`)
      .set('Content-Type', 'multipart/form-data; boundary=X')
      .send('--X\r\nnot a header\r\n\r\nOne-Click\r\n--X--\r\n');
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ code: 400, error: 'malformed_form' });
  });

  it('the confirmation button (a browser form post) unsubscribes and answers with a page', async () => {
    const u = await signUp(t.app);
    const token = linkToken(u.user.id, 'unsubscribe', { what: 'reminders' });
    const res = await oneClick(token).set('Accept', 'text/html,application/xhtml+xml,*/*;q=0.8');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('You will no longer receive payment reminders.');
    expect(await settingsOf(u)).toEqual({ reminders_enabled: false, monthly_report: true });
  });

  it('POST /unsubscribe with a real reminder link from the app turns reminders off', async () => {
    const u = await signUp(t.app);
    const { appBaseUrl, jwt: jwtConfig } = t.runtime.config;
    const link = new URL(createLinks(appBaseUrl, createTokenService(jwtConfig)).unsubscribe(u.user.id));
    const res = await request(t.app)
      .post(link.pathname + link.search)
      .type('form')
      .send('List-Unsubscribe=One-Click');
    expect(res.body).toMatchObject({ unsubscribed: 'reminders' });
  });

  it('POST /unsubscribe refuses a bad link with a clear error and changes nothing', async () => {
    const u = await signUp(t.app);
    const forged = await oneClick(`${linkToken(u.user.id, 'unsubscribe', { what: 'reports' })}x`);
    expect(forged.status).toBe(401);
    expect(forged.body).toMatchObject({ code: 401, error: 'invalid_token', message: expect.any(String) });
    const misused = await oneClick(linkToken(u.user.id, 'verify_email'));
    expect(misused.body.error).toBe('invalid_token');
    const gone = await oneClick(linkToken(999_999, 'unsubscribe', { what: 'reports' }));
    expect(gone.status).toBe(404);
    const missing = await request(t.app).post('/unsubscribe').type('form').send('List-Unsubscribe=One-Click');
    expect(missing.status).toBe(422);
    expect(missing.body.errors.query).toHaveProperty('token');
    const wrongBody = await request(t.app)
      .post(`/unsubscribe?token=${linkToken(u.user.id, 'unsubscribe', { what: 'reports' })}`)
      .type('form')
      .send('List-Unsubscribe=Maybe');
    expect(wrongBody.status).toBe(422);
    // Fields beyond RFC 8058's one are refused by the contract; past the form parser's 10 fields, as too large.
    for (const [extras, status, error] of [
      [1, 422, 'validation_failed'],
      [12, 413, 'payload_too_large'],
    ] as const) {
      const fields = Array.from({ length: extras }, (_, i) => `f${i}=x`).join('&');
      const extra = await request(t.app)
        .post(`/unsubscribe?token=${linkToken(u.user.id, 'unsubscribe', { what: 'reports' })}`)
        .type('form')
        .send(`List-Unsubscribe=One-Click&${fields}`);
      expect({ status: extra.status, error: extra.body.error }).toEqual({ status, error });
    }
    const page = await oneClick('nonsense').set('Accept', 'text/html');
    expect(page.status).toBe(401);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain('This link cannot be used');
    expect(await settingsOf(u)).toEqual(bothOn);
  });

  it('GET /unsubscribe with a bad link shows a browser an error page', async () => {
    const res = await request(t.app)
      .get('/unsubscribe')
      .query({ token: 'nonsense' })
      .set('Accept', 'text/html');
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('This link cannot be used');
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
