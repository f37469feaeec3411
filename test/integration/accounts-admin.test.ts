import request from 'supertest';
import { promoteUser } from '../../src/entry/user-promote';
import { createAccountsApp, newAccount, signUp, type AccountsApp } from '../helpers/accounts';

describe('admin endpoints GET and DELETE /users/{id}', () => {
  let t: AccountsApp;
  const adminEmail = newAccount().email;
  beforeAll(async () => {
    t = await createAccountsApp({ env: { ADMIN_EMAILS: `other@example.com, ${adminEmail.toUpperCase()}` } });
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

  it('lets an admin from ADMIN_EMAILS read any user', async () => {
    const admin = await signUp(t.app, { email: adminEmail });
    const u = await signUp(t.app);
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
