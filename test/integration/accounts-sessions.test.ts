import jwt from 'jsonwebtoken';
import request from 'supertest';
import { createAccountsApp, signUp, type AccountsApp } from '../helpers/accounts';

describe('the user’s sessions: GET /users/me/sessions and DELETE /users/me/sessions/{sid}', () => {
  let t: AccountsApp;
  beforeAll(async () => {
    t = await createAccountsApp();
  });
  afterAll(() => t.close());

  const loginAgain = async (u: Awaited<ReturnType<typeof signUp>>, agent: string) =>
    (
      await request(t.app)
        .post('/login')
        .set('User-Agent', agent)
        .set('X-Forwarded-For', '198.51.100.9')
        .send(u)
    ).body as { access_token: string; refresh_token: string };

  it('lists the live sessions with the caller’s marked current, newest use first', async () => {
    const u = await signUp(t.app);
    t.clock.advance(1000);
    const phone = await loginAgain(u, 'PhoneApp/1.0');
    const res = await request(t.app).get('/users/me/sessions').set(u.bearer(phone.access_token));
    expect(res.status).toBe(200);
    expect(res.body).toHaveLength(2);
    expect(res.body[0]).toEqual({
      sid: expect.any(String),
      current: true,
      created_at: expect.any(String),
      last_used_at: expect.any(String),
      expires_at: expect.any(String),
      user_agent: 'PhoneApp/1.0',
      ip: '198.51.100.9',
    });
    expect(res.body[1]).toMatchObject({ current: false, ip: u.ip });
  });

  it('revoking another session signs it out and drops it from the list', async () => {
    const u = await signUp(t.app);
    const laptop = await loginAgain(u, 'Laptop');
    const list = await request(t.app).get('/users/me/sessions').set(u.bearer());
    const target = list.body.find((s: { current: boolean }) => !s.current);
    const res = await request(t.app).delete(`/users/me/sessions/${target.sid}`).set(u.bearer());
    expect(res.status).toBe(200);
    expect((await request(t.app).get('/users/me').set(u.bearer(laptop.access_token))).body.error).toBe(
      'token_revoked',
    );
    expect((await request(t.app).post('/refresh').set(u.bearer(laptop.refresh_token))).body.error).toBe(
      'token_revoked',
    );
    const after = await request(t.app).get('/users/me/sessions').set(u.bearer());
    expect(after.body).toHaveLength(1);
  });

  it('answers 404 for another user’s session, an unknown one and one already revoked', async () => {
    const u = await signUp(t.app);
    const v = await signUp(t.app);
    const [theirs] = (await request(t.app).get('/users/me/sessions').set(v.bearer())).body;
    for (const sid of [theirs.sid, '00000000-0000-0000-0000-000000000000']) {
      const res = await request(t.app).delete(`/users/me/sessions/${sid}`).set(u.bearer());
      expect(res.status).toBe(404);
      expect(res.body.error).toBe('session_not_found');
    }
    expect((await request(t.app).get('/users/me').set(v.bearer())).status).toBe(200);
  });

  it('a revoke landing between the database read and the cache write is not overwritten by "live"', async () => {
    const u = await signUp(t.app);
    const phone = await loginAgain(u, 'PhoneApp/1.0');
    const phoneSid = (jwt.decode(phone.access_token) as { sid: string }).sid;
    const cache = t.runtime.cache;
    const remember = cache.remember.bind(cache);
    const spy = jest.spyOn(cache, 'remember').mockImplementationOnce(async (key, revoked, ttl) => {
      // The phone's session was just read live; before that is cached, the owner revokes it elsewhere.
      expect([key, revoked]).toEqual([`${u.user.id}:${phoneSid}`, false]);
      const res = await request(t.app).delete(`/users/me/sessions/${phoneSid}`).set(u.bearer());
      expect(res.status).toBe(200);
      await remember(key, revoked, ttl);
    });
    try {
      // This request read the session before the revoke: it may pass. The next one must not.
      await request(t.app).get('/users/me').set(u.bearer(phone.access_token));
      expect(spy).toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
    const after = await request(t.app).get('/users/me').set(u.bearer(phone.access_token));
    expect(after.status).toBe(401);
    expect(after.body.error).toBe('token_revoked');
  });

  it('answers 401 without a token', async () => {
    expect((await request(t.app).get('/users/me/sessions')).status).toBe(401);
  });
});
