import request from 'supertest';
import { createAccountsApp, signUp, type AccountsApp } from '../helpers/accounts';

describe('POST /logout', () => {
  let t: AccountsApp;
  beforeAll(async () => {
    t = await createAccountsApp();
  });
  afterAll(() => t.close());

  const logout = (token?: string) => {
    const req = request(t.app).post('/logout');
    return token ? req.set('Authorization', `Bearer ${token}`) : req;
  };

  it.each(['refresh', 'access'] as const)(
    'with the %s token revokes the session: both tokens then answer token_revoked',
    async (which) => {
      const u = await signUp(t.app);
      expect((await request(t.app).get('/users/me').set(u.bearer())).status).toBe(200);
      const res = await logout(which === 'refresh' ? u.refreshToken : u.accessToken);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ message: 'Successfully logged out.' });
      const me = await request(t.app).get('/users/me').set(u.bearer());
      expect(me.body).toMatchObject({ code: 401, error: 'token_revoked' });
      const refreshed = await request(t.app).post('/refresh').set(u.bearer(u.refreshToken));
      expect(refreshed.body.error).toBe('token_revoked');
    },
  );

  it('a second logout answers 401 token_revoked, as in the seed', async () => {
    const u = await signUp(t.app);
    await logout(u.refreshToken);
    const res = await logout(u.refreshToken);
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ error: 'token_revoked', message: 'The token has been revoked.' });
  });

  it('leaves the user’s other sessions signed in', async () => {
    const u = await signUp(t.app);
    const other = await request(t.app).post('/login').send({ email: u.email, password: u.password });
    await logout(u.accessToken);
    expect((await request(t.app).get('/users/me').set(u.bearer(other.body.access_token))).status).toBe(200);
  });

  it('answers no token with authorization_required and a garbage token with invalid_token', async () => {
    expect((await logout()).body).toMatchObject({
      code: 401,
      error: 'authorization_required',
      message: 'Request does not contain an access token.',
    });
    expect((await logout('bad_token')).body).toMatchObject({
      error: 'invalid_token',
      message: 'Signature verification failed.',
    });
  });
});
