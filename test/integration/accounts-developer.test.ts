import request from 'supertest';
import { createAccountsApp, signUp, type AccountsApp } from '../helpers/accounts';

describe('developer endpoints', () => {
  describe('when enabled (development and tests)', () => {
    let t: AccountsApp;
    beforeAll(async () => {
      t = await createAccountsApp();
    });
    afterAll(() => t.close());

    it('GET /guest is open, /protected needs a token and /fresh-protected a fresh one', async () => {
      expect((await request(t.app).get('/guest')).body).toEqual({
        message: 'This endpoint is open to everyone.',
      });
      const u = await signUp(t.app);
      expect((await request(t.app).get('/protected').set(u.bearer())).status).toBe(200);
      expect((await request(t.app).get('/fresh-protected').set(u.bearer())).body).toEqual({
        message: 'This is a protected endpoint. You used a fresh token to access it.',
      });
    });
  });

  describe('when disabled', () => {
    let t: AccountsApp;
    beforeAll(async () => {
      t = await createAccountsApp({ env: { DEV_ENDPOINTS: 'false' } });
    });
    afterAll(() => t.close());

    it('are not mounted, while the admin /users/{id} stays mounted behind its role', async () => {
      expect((await request(t.app).get('/guest')).status).toBe(404);
      const u = await signUp(t.app);
      expect((await request(t.app).get('/protected').set(u.bearer())).status).toBe(404);
      expect((await request(t.app).get(`/users/${u.user.id}`).set(u.bearer())).status).toBe(403);
    });
  });
});
