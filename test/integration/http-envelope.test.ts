import request from 'supertest';
import { createTestApp, type TestApp } from '../helpers/app';
import { createUserWithTokens } from '../helpers/users';

describe('HTTP contract and the error envelope', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const expectEnvelope = (body: unknown, code: number) =>
    expect(body).toMatchObject({ code, status: expect.any(String), message: expect.any(String) });

  it('answers malformed JSON with 400', async () => {
    const res = await request(t.app)
      .post('/dev/echo')
      .set('Content-Type', 'application/json')
      .send('{"name": ');
    expect(res.status).toBe(400);
    expectEnvelope(res.body, 400);
    expect(res.body.error).toBe('malformed_json');
  });

  it('answers an unknown route with 404 in the envelope', async () => {
    const res = await request(t.app).get('/no/such/route');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 404, status: 'Not Found' });
  });

  it('answers an oversized body with 413', async () => {
    const res = await request(t.app)
      .post('/dev/echo')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ name: 'x'.repeat(200_000), date: '2025-01-01' }));
    expect(res.status).toBe(413);
    expectEnvelope(res.body, 413);
  });

  it('answers a contract violation with 422 and field errors by location', async () => {
    const res = await request(t.app).post('/dev/echo').send({ name: '', count: -1, extra: true });
    expect(res.status).toBe(422);
    expectEnvelope(res.body, 422);
    expect(Object.keys(res.body.errors.json)).toEqual(expect.arrayContaining(['name', 'count', 'date']));
  });

  it('rejects an impossible calendar date such as 2025-02-31', async () => {
    const res = await request(t.app).post('/dev/echo').send({ name: 'ok', date: '2025-02-31' });
    expect(res.status).toBe(422);
    expect(res.body.errors.json.date).toEqual([expect.stringMatching(/format/)]);
    const ok = await request(t.app).post('/dev/echo').send({ name: 'ok', date: '2024-02-29' });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ name: 'ok', date: '2024-02-29' });
  });

  it('never coerces body types: null or a number where a string or integer belongs is a 422', async () => {
    const nullCount = await request(t.app)
      .post('/dev/echo')
      .send({ name: 'ok', date: '2024-02-29', count: null });
    expect(nullCount.status).toBe(422);
    expect(nullCount.body.errors.json).toHaveProperty('count');
    const numericName = await request(t.app).post('/dev/echo').send({ name: 42, date: '2024-02-29' });
    expect(numericName.status).toBe(422);
    const nullEmail = await request(t.app).post('/password/forgot').send({ email: null });
    expect(nullEmail.status).toBe(422);
  });

  it('answers a wrong content type with 415', async () => {
    const res = await request(t.app).post('/dev/echo').set('Content-Type', 'text/plain').send('name=x');
    expect(res.status).toBe(415);
    expectEnvelope(res.body, 415);
  });

  it('answers a protected route without a token with 401 authorization_required', async () => {
    const res = await request(t.app).get('/protected');
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ code: 401, status: 'Unauthorized', error: 'authorization_required' });
  });

  it('tells an invalid token, a stale token on a fresh route and a revoked session apart', async () => {
    const u = await createUserWithTokens(t.runtime);
    expect((await request(t.app).get('/protected').set('Authorization', 'Bearer nope')).body.error).toBe(
      'invalid_token',
    );
    expect((await request(t.app).get('/protected').set(u.auth)).status).toBe(200);
    const stale = await request(t.app)
      .get('/fresh-protected')
      .set('Authorization', `Bearer ${u.staleAccessToken}`);
    expect(stale.body.error).toBe('fresh_token_required');
    expect((await request(t.app).get('/fresh-protected').set(u.auth)).status).toBe(200);
    await u.revoke();
    const revoked = await request(t.app).get('/users/me').set(u.auth);
    expect(revoked.status).toBe(401);
    expect(revoked.body.error).toBe('token_revoked');
  });

  it('rejects a refresh token used as an access token', async () => {
    const u = await createUserWithTokens(t.runtime);
    const res = await request(t.app).get('/users/me').set('Authorization', `Bearer ${u.refreshToken}`);
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('invalid_token');
  });

  it('serves the signed-in user through the presenter, never the password hash', async () => {
    const u = await createUserWithTokens(t.runtime, { timezone: 'Europe/Berlin' });
    const res = await request(t.app).get('/users/me').set(u.auth);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: u.user.id,
      email: u.user.email,
      timezone: 'Europe/Berlin',
      reminder_offsets: [7, 1],
    });
    expect(JSON.stringify(res.body)).not.toMatch(/hash|email_key/);
  });

  it('serves the contract at /openapi.json and Swagger UI at /swagger-ui', async () => {
    const spec = await request(t.app).get('/openapi.json');
    expect(spec.status).toBe(200);
    expect(spec.body.openapi).toBe('3.0.3');
    const ui = await request(t.app).get('/swagger-ui/');
    expect(ui.status).toBe(200);
    expect(ui.text).toMatch(/swagger-ui/i);
  });

  it('sets a request id and helmet headers', async () => {
    const res = await request(t.app).get('/healthz').set('X-Request-Id', 'abc-123');
    expect(res.headers['x-request-id']).toBe('abc-123');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });
});

describe('API docs switched off (the production default)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { API_DOCS: 'false' } });
  });
  afterAll(() => t.close());

  it('serves neither /openapi.json nor Swagger UI', async () => {
    for (const path of ['/openapi.json', '/swagger-ui/']) {
      const res = await request(t.app).get(path);
      expect(res.status).toBe(404);
      expect(res.body.error).toBe('not_found');
    }
  });
});
