import request from 'supertest';
import { promoteUser } from '../../src/entry/user-promote';
import { createAccountsApp, newAccount, signUp, tokenInMail, type AccountsApp } from '../helpers/accounts';

describe('admin endpoints GET and DELETE /users/{id}', () => {
  let t: AccountsApp;
  const adminEmail = newAccount().email;
  beforeAll(async () => {
    t = await createAccountsApp({
      env: {
        ADMIN_EMAILS: `other@example.com, ${adminEmail.toUpperCase()}, ${adminEmail.replace('@', '+2@')}`,
      },
    });
  });
  afterAll(() => t.close());

  it('answers 403 to a signed-in user who is not an admin', async () => {
    const u = await signUp(t.app);
    for (const method of ['get', 'delete'] as const) {
      const res = await request(t.app)[method](`/users/${u.user.id}`).set(u.bearer());
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ code: 403, error: 'forbidden' });
    }
  });

  it('answers 401 without a token', async () => {
    expect((await request(t.app).get('/users/1')).body.error).toBe('authorization_required');
  });

  /** Confirms the address through the emailed link, as its owner would. */
  const verify = async (u: Awaited<ReturnType<typeof signUp>>) => {
    expect((await request(t.app).post('/users/me/verification').set(u.bearer())).status).toBe(202);
    const mail = t.sent.find((m) => m.to === u.email);
    const res = await request(t.app)
      .post('/verify-email')
      .send({ token: tokenInMail(mail!.text) });
    expect(res.status).toBe(200);
  };

  it('gives no admin role from ADMIN_EMAILS while the address is unverified: 403 on admin routes', async () => {
    const squatter = await signUp(t.app, { email: adminEmail });
    const u = await signUp(t.app);
    const me = await request(t.app).get('/users/me').set(squatter.bearer());
    expect(me.body).toMatchObject({ role: 'user', email_verified: false });
    for (const method of ['get', 'delete'] as const) {
      const res = await request(t.app)[method](`/users/${u.user.id}`).set(squatter.bearer());
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ code: 403, error: 'forbidden' });
    }
    // The victim is still there.
    expect((await request(t.app).get('/users/me').set(u.bearer())).status).toBe(200);
  });

  it('lets an admin from ADMIN_EMAILS read any user once the address is verified', async () => {
    const admin = await signUp(t.app, { email: adminEmail.replace('@', '+2@') });
    const u = await signUp(t.app);
    await verify(admin);
    expect((await request(t.app).get('/users/me').set(admin.bearer())).body.role).toBe('admin');
    const res = await request(t.app).get(`/users/${u.user.id}`).set(admin.bearer());
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: u.user.id, email: u.email, username: u.username, role: 'user' });
  });

  it('lets a user promoted with user:promote delete any user, who is then gone', async () => {
    const admin = await signUp(t.app);
    expect(await promoteUser(t.runtime.db, ` ${admin.email.toUpperCase()}`)).toBe(true);
    const u = await signUp(t.app);
    const res = await request(t.app).delete(`/users/${u.user.id}`).set(admin.bearer());
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ message: 'User deleted.' });
    expect((await request(t.app).get(`/users/${u.user.id}`).set(admin.bearer())).status).toBe(404);
    expect((await request(t.app).get('/users/me').set(u.bearer())).body.error).toBe('token_revoked');
  });

  it('answers 404 for an unknown id and 422 for a malformed one', async () => {
    const admin = await signUp(t.app);
    await promoteUser(t.runtime.db, admin.email);
    const missing = await request(t.app).delete('/users/999999').set(admin.bearer());
    expect(missing.body).toMatchObject({ code: 404, error: 'user_not_found', message: 'User not found.' });
    const malformed = await request(t.app).get('/users/abc').set(admin.bearer());
    expect(malformed.status).toBe(422);
    expect(malformed.body.errors.path).toHaveProperty('id');
  });

  it('promoteUser reports an unknown email', async () => {
    expect(await promoteUser(t.runtime.db, 'nobody-at-all@example.com')).toBe(false);
  });
});
