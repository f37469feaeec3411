import request from 'supertest';
import { createAccountsApp, failingMailer, randomIp, signUp, type AccountsApp } from '../helpers/accounts';

/** The mail provider is down: nothing about an account leaks, and the caller who can act is told. */
describe('when email cannot be sent', () => {
  let t: AccountsApp;
  beforeAll(async () => {
    t = await createAccountsApp({ mailer: failingMailer });
  });
  afterAll(() => t.close());

  it('POST /password/forgot still answers the same 202 for a known and an unknown address', async () => {
    const u = await signUp(t.app);
    const forgot = (email: string) =>
      request(t.app).post('/password/forgot').set('X-Forwarded-For', randomIp()).send({ email });
    const [known, unknown] = [await forgot(u.email), await forgot(`nobody-${u.email}`)];
    expect(known.status).toBe(202);
    expect(known.body).toEqual(unknown.body);
  });

  it('POST /users/me/verification answers 503 with Retry-After so the user can try again', async () => {
    const u = await signUp(t.app);
    const res = await request(t.app).post('/users/me/verification').set(u.bearer());
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ code: 503, error: 'service_unavailable' });
    expect(res.headers['retry-after']).toBeDefined();
  });
});
