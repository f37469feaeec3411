import request from 'supertest';
import { createAccountsApp, eventually, randomIp, signUp, type AccountsApp } from '../helpers/accounts';

/**
 * Account emails go to addresses nobody has confirmed: whoever registers chooses the address, so text they
 * chose (the username) must not ride along, or anyone could mail their own words from our domain.
 */
describe('emails to unconfirmed addresses carry no registrant-chosen text', () => {
  let t: AccountsApp;
  beforeAll(async () => {
    t = await createAccountsApp();
  });
  afterAll(() => t.close());

  const pitch = 'URGENT call +1-555-0100 or visit evil.example';

  it('the verification and password-reset emails leave the username out', async () => {
    const u = await signUp(t.app, { username: `${pitch} ${Math.random()}` });
    await request(t.app).post('/users/me/verification').set(u.bearer()).expect(202);
    await request(t.app).post('/password/forgot').set('X-Forwarded-For', randomIp()).send({ email: u.email });
    const reset = await eventually(() => t.sent.find((m) => m.to === u.email && /reset/i.test(m.subject)));
    const verify = t.sent.find((m) => m.to === u.email && /confirm/i.test(m.subject))!;
    for (const mail of [verify, reset]) {
      expect(`${mail.subject}\n${mail.text}\n${mail.html}`).not.toContain('evil.example');
      expect(mail.text).toMatch(/^Hello,/);
    }
  });
});
