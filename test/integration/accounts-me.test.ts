import request from 'supertest';
import { createAccountsApp, signUp, type AccountsApp } from '../helpers/accounts';

describe('the signed-in user: GET, PATCH and DELETE /users/me', () => {
  let t: AccountsApp;
  beforeAll(async () => {
    t = await createAccountsApp();
  });
  afterAll(() => t.close());

  it('GET returns the profile with the seed fields and the settings', async () => {
    const u = await signUp(t.app);
    const res = await request(t.app).get('/users/me').set(u.bearer());
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: u.user.id, email: u.email, username: u.username, timezone: 'UTC' });
    expect(res.body.created_at).toEqual(expect.any(String));
  });

  it('GET without a token answers 401 authorization_required', async () => {
    const res = await request(t.app).get('/users/me');
    expect(res.body).toMatchObject({ code: 401, error: 'authorization_required' });
  });

  it('PATCH changes every setting and returns the user', async () => {
    const u = await signUp(t.app);
    const changes = {
      username: 'renamed',
      timezone: 'America/New_York',
      reminder_hour: 0,
      reminder_offsets: [0, 30, 3],
      currency: 'EUR',
      monthly_report: false,
      reminders_enabled: false,
    };
    const res = await request(t.app).patch('/users/me').set(u.bearer()).send(changes);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ...changes, reminder_offsets: [30, 3, 0] });
    expect((await request(t.app).get('/users/me').set(u.bearer())).body).toMatchObject(res.body);
  });

  it('PATCH accepts UTC and an empty list of offsets', async () => {
    const u = await signUp(t.app);
    const res = await request(t.app)
      .patch('/users/me')
      .set(u.bearer())
      .send({ timezone: 'UTC', reminder_offsets: [] });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ timezone: 'UTC', reminder_offsets: [] });
  });

  it.each([
    ['timezone', 'unknown', { timezone: 'Mars/Olympus_Mons' }],
    ['reminder_hour', 'above 23', { reminder_hour: 24 }],
    ['reminder_hour', 'negative', { reminder_hour: -1 }],
    ['reminder_offsets', 'repeated', { reminder_offsets: [1, 1] }],
    ['reminder_offsets', 'above 90', { reminder_offsets: [91] }],
    ['reminder_offsets', 'more than 5', { reminder_offsets: [1, 2, 3, 4, 5, 6] }],
    ['reminder_offsets', 'not integers', { reminder_offsets: [1.5] }],
    ['currency', 'lower case', { currency: 'eur' }],
    ['currency', 'not three letters', { currency: 'EURO' }],
    ['username', 'too short', { username: 'ab' }],
    ['monthly_report', 'not a boolean', { monthly_report: 'yes' }],
    ['email', 'not changeable here', { email: 'new@example.com' }],
  ])('PATCH answers 422 on %s when it is %s', async (field, _case, body) => {
    const u = await signUp(t.app);
    const res = await request(t.app).patch('/users/me').set(u.bearer()).send(body);
    expect(res.status).toBe(422);
    expect(Object.keys(res.body.errors.json)[0]).toMatch(new RegExp(`^${field}`));
    const unchanged = await request(t.app).get('/users/me').set(u.bearer());
    expect(unchanged.body).toMatchObject({ timezone: 'UTC', reminder_offsets: [7, 1], currency: 'USD' });
  });

  it('DELETE needs a fresh token', async () => {
    const u = await signUp(t.app);
    const refreshed = await request(t.app).post('/refresh').set(u.bearer(u.refreshToken));
    const res = await request(t.app).delete('/users/me').set(u.bearer(refreshed.body.access_token));
    expect(res.body).toMatchObject({ code: 401, error: 'fresh_token_required' });
  });

  it('DELETE removes the user with everything they own and ends their sessions', async () => {
    const u = await signUp(t.app);
    const { User, Session, Subscription } = t.runtime.db.models;
    await Subscription.create({
      userId: u.user.id,
      name: 'Netflix',
      priceMinor: 1599,
      currency: 'USD',
      billingCycle: 'monthly',
      anchorDate: '2026-12-01',
      nextPaymentDate: '2026-12-01',
    });
    expect((await request(t.app).get('/users/me').set(u.bearer())).status).toBe(200);
    const res = await request(t.app).delete('/users/me').set(u.bearer());
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ message: 'Account deleted.' });
    expect(await User.count({ where: { id: u.user.id } })).toBe(0);
    expect(await Session.count({ where: { userId: u.user.id } })).toBe(0);
    expect(await Subscription.count({ where: { userId: u.user.id } })).toBe(0);
    expect((await request(t.app).get('/users/me').set(u.bearer())).body.error).toBe('token_revoked');
    const login = await request(t.app).post('/login').send({ email: u.email, password: u.password });
    expect(login.body.error).toBe('invalid_credentials');
  });
});
