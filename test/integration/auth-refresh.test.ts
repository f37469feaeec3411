import jwt from 'jsonwebtoken';
import request from 'supertest';
import { createAccountsApp, signUp, type AccountsApp } from '../helpers/accounts';
import { createUserWithTokens } from '../helpers/users';

describe('POST /refresh with rotation (the default)', () => {
  let t: AccountsApp;
  beforeAll(async () => {
    t = await createAccountsApp();
  });
  afterAll(() => t.close());

  const refresh = (token: string) => request(t.app).post('/refresh').set('Authorization', `Bearer ${token}`);
  const me = (token: string) => request(t.app).get('/users/me').set('Authorization', `Bearer ${token}`);

  it('returns a non-fresh access token and a new refresh token', async () => {
    const u = await signUp(t.app);
    const res = await refresh(u.refreshToken);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ access_token: expect.any(String), refresh_token: expect.any(String) });
    expect(res.body.refresh_token).not.toBe(u.refreshToken);
    expect((await me(res.body.access_token)).status).toBe(200);
    const fresh = await request(t.app).get('/fresh-protected').set(u.bearer(res.body.access_token));
    expect(fresh.body.error).toBe('fresh_token_required');
    expect(jwt.decode(res.body.access_token)).toMatchObject({ fresh: false, type: 'access' });
  });

  it('the successor keeps rotating: each refresh token moves the chain on', async () => {
    const u = await signUp(t.app);
    const first = await refresh(u.refreshToken);
    const second = await refresh(first.body.refresh_token);
    expect(second.status).toBe(200);
    expect(second.body.refresh_token).not.toBe(first.body.refresh_token);
  });

  it('within 30 s a rotated token gets the very same successor pair (two tabs refreshing at once)', async () => {
    const u = await signUp(t.app);
    const first = await refresh(u.refreshToken);
    t.clock.advance(29_000);
    const again = await refresh(u.refreshToken);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect((await refresh(first.body.refresh_token)).status).toBe(200);
  });

  it('concurrent refreshes with one token all get the same successor', async () => {
    const u = await signUp(t.app);
    const results = await Promise.all([0, 1, 2].map(() => refresh(u.refreshToken)));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(new Set(results.map((r) => r.body.refresh_token)).size).toBe(1);
  });

  it('after the grace a rotated token revokes the whole session', async () => {
    const u = await signUp(t.app);
    const first = await refresh(u.refreshToken);
    t.clock.advance(31_000);
    const reused = await refresh(u.refreshToken);
    expect(reused.status).toBe(401);
    expect(reused.body.error).toBe('token_revoked');
    expect((await refresh(first.body.refresh_token)).body.error).toBe('token_revoked');
    expect((await me(first.body.access_token)).body.error).toBe('token_revoked');
    expect((await me(u.accessToken)).body.error).toBe('token_revoked');
  });

  it('a token two rotations old revokes the session even inside the grace', async () => {
    const u = await signUp(t.app);
    const first = await refresh(u.refreshToken);
    await refresh(first.body.refresh_token);
    expect((await refresh(u.refreshToken)).body.error).toBe('token_revoked');
    expect((await me(u.accessToken)).body.error).toBe('token_revoked');
  });

  it('records the refresh as the session being used', async () => {
    const u = await signUp(t.app);
    t.clock.advance(60_000);
    await refresh(u.refreshToken);
    const [session] = (await request(t.app).get('/users/me/sessions').set(u.bearer())).body;
    expect(Date.parse(session.last_used_at)).toBeGreaterThan(Date.parse(session.created_at) + 59_000);
  });
});

describe('POST /refresh with REFRESH_ROTATION=off (the seed behaviour)', () => {
  let t: AccountsApp;
  beforeAll(async () => {
    t = await createAccountsApp({ env: { REFRESH_ROTATION: 'off' } });
  });
  afterAll(() => t.close());

  it('returns only an access token and the refresh token stays valid', async () => {
    const u = await signUp(t.app);
    for (let i = 0; i < 2; i += 1) {
      t.clock.advance(60_000);
      const res = await request(t.app).post('/refresh').set(u.bearer(u.refreshToken));
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ access_token: expect.any(String) });
    }
  });

  it('still refuses the refresh token of a logged-out session', async () => {
    const u = await signUp(t.app);
    expect((await request(t.app).post('/logout').set(u.bearer(u.refreshToken))).status).toBe(200);
    const res = await request(t.app).post('/refresh').set(u.bearer(u.refreshToken));
    expect(res.body).toMatchObject({ code: 401, error: 'token_revoked' });
  });
});

describe('absolute session lifetime (SESSION_MAX_AGE_DAYS)', () => {
  const DAY = 24 * 3600 * 1000;
  let t: AccountsApp;
  beforeAll(async () => {
    t = await createAccountsApp();
  });
  afterAll(() => t.close());

  const refresh = (token: string) => request(t.app).post('/refresh').set('Authorization', `Bearer ${token}`);

  it('rotation cannot carry a session past 30 days from its login: the refresh after answers 401', async () => {
    const u = await signUp(t.app);
    t.clock.advance(29 * DAY);
    const rotated = await refresh(u.refreshToken);
    expect(rotated.status).toBe(200);
    t.clock.advance(DAY - 60_000);
    const last = await refresh(rotated.body.refresh_token);
    expect(last.status).toBe(200);
    // Day 30 and a minute: the rotated token's own 30 days have hardly begun, the session's are over.
    t.clock.advance(2 * 60_000);
    const late = await refresh(last.body.refresh_token);
    expect(late.status).toBe(401);
    expect(late.body).toMatchObject({ code: 401, error: 'token_revoked' });
    expect(await t.runtime.services.sessions.list(u.user.id)).toEqual([]);
  });

  it('a session opened over 30 days ago answers 401 even when a past rotation stored a later expiry', async () => {
    const u = await createUserWithTokens(t.runtime);
    const [createdAt, expiresAt] = [new Date(t.clock.now() - 31 * DAY), new Date(t.clock.now() + 10 * DAY)];
    await t.runtime.db.models.Session.update({ createdAt, expiresAt }, { where: { sid: u.sid } });
    expect((await refresh(u.refreshToken)).status).toBe(401);
  });

  it('a shorter SESSION_MAX_AGE_DAYS ends a non-rotating session before its refresh token expires', async () => {
    const short = await createAccountsApp({ env: { SESSION_MAX_AGE_DAYS: '1', REFRESH_ROTATION: 'off' } });
    try {
      const u = await signUp(short.app);
      const again = () => request(short.app).post('/refresh').set(u.bearer(u.refreshToken));
      short.clock.advance(DAY - 60_000);
      expect((await again()).status).toBe(200);
      short.clock.advance(2 * 60_000);
      expect((await again()).body).toMatchObject({ code: 401, error: 'token_revoked' });
    } finally {
      await short.close();
    }
  });
});
