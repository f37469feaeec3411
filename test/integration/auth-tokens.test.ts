import jwt from 'jsonwebtoken';
import request from 'supertest';
import { createSessionStore } from '../../src/auth/db-session-store';
import { createAccountsApp, signUp, type AccountsApp } from '../helpers/accounts';

/** Forged and misused tokens: each gets its own 401 sub-code and never reaches a handler. */
describe('token attacks', () => {
  let t: AccountsApp;
  let u: Awaited<ReturnType<typeof signUp>>;
  beforeAll(async () => {
    t = await createAccountsApp();
    u = await signUp(t.app);
  });
  afterAll(() => t.close());

  const me = (token: string) => request(t.app).get('/users/me').set('Authorization', `Bearer ${token}`);
  const claims = () => jwt.decode(u.accessToken) as Record<string, unknown>;
  const sign = (payload: object, key: string, options: jwt.SignOptions = {}) =>
    jwt.sign(payload, key, { algorithm: 'HS256', ...options });

  it('rejects alg none', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const body = Buffer.from(JSON.stringify(claims())).toString('base64url');
    const res = await me(`${header}.${body}.`);
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('invalid_token');
  });

  it('rejects a token signed with another secret', async () => {
    const res = await me(sign(claims(), 'x'.repeat(48)));
    expect(res.body).toMatchObject({ code: 401, error: 'invalid_token' });
  });

  it('rejects a tampered payload (another user id under the original signature)', async () => {
    const [header, , signature] = u.accessToken.split('.');
    const body = Buffer.from(JSON.stringify({ ...claims(), sub: String(u.user.id + 1) })).toString(
      'base64url',
    );
    const res = await me(`${header}.${body}.${signature}`);
    expect(res.body).toMatchObject({ code: 401, error: 'invalid_token' });
  });

  it('reports an expired token as token_expired', async () => {
    const { exp: _exp, iat: _iat, ...rest } = claims();
    const expired = sign(
      { ...rest, iat: Math.floor(Date.now() / 1000) - 3600 },
      t.runtime.config.jwt.secret,
      {
        expiresIn: 60,
      },
    );
    const res = await me(expired);
    expect(res.body).toMatchObject({ code: 401, error: 'token_expired', message: 'The token has expired.' });
  });

  it('rejects the right secret with another issuer or audience', async () => {
    const { iss: _iss, aud: _aud, ...rest } = claims();
    const { secret, issuer, audience } = t.runtime.config.jwt;
    expect((await me(sign({ ...rest, iss: 'elsewhere', aud: audience }, secret))).body.error).toBe(
      'invalid_token',
    );
    expect((await me(sign({ ...rest, iss: issuer, aud: 'elsewhere' }, secret))).body.error).toBe(
      'invalid_token',
    );
  });

  it('rejects a refresh token used as an access token', async () => {
    const res = await me(u.refreshToken);
    expect(res.body).toMatchObject({ code: 401, error: 'invalid_token' });
  });

  it('rejects an access token used as a refresh token', async () => {
    const res = await request(t.app).post('/refresh').set(u.bearer(u.accessToken));
    expect(res.body).toMatchObject({ code: 401, error: 'invalid_token' });
  });

  it('rejects both tokens of a revoked session with token_revoked', async () => {
    const v = await signUp(t.app);
    expect((await me(v.accessToken)).status).toBe(200);
    await createSessionStore(t.runtime.db, t.runtime.cache).revokeAllForUser(v.user.id);
    expect((await request(t.app).post('/logout').set(v.bearer())).body.error).toBe('token_revoked');
    expect((await me(v.accessToken)).body.error).toBe('token_revoked');
    expect((await request(t.app).post('/refresh').set(v.bearer(v.refreshToken))).body.error).toBe(
      'token_revoked',
    );
  });

  it('answers a missing Authorization header with authorization_required', async () => {
    const res = await request(t.app).post('/refresh');
    expect(res.body).toMatchObject({ code: 401, error: 'authorization_required' });
  });
});
