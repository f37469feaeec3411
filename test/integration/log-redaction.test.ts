import jwt from 'jsonwebtoken';
import request from 'supertest';
import { createLogger } from '../../src/logger';
import {
  createAccountsApp,
  eventually,
  randomIp,
  signUp,
  tokenInMail,
  type AccountsApp,
} from '../helpers/accounts';

describe('tokens never reach the logs', () => {
  let t: AccountsApp;
  const lines: string[] = [];
  beforeAll(async () => {
    const logger = createLogger('info', 'test', { write: (line: string) => void lines.push(line) });
    t = await createAccountsApp({ logger });
  });
  afterAll(() => t.close());
  afterEach(() => jest.restoreAllMocks());

  const unsubscribeToken = (userId: number) => {
    const { secret, issuer, audience } = t.runtime.config.jwt;
    return jwt.sign({ type: 'unsubscribe', data: { what: 'reports' } }, secret, {
      ...{ algorithm: 'HS256', issuer, audience, subject: String(userId), jwtid: `j-${Math.random()}` },
      expiresIn: 600,
    });
  };
  const accessLineFor = (path: string) =>
    lines
      .map((l) => JSON.parse(l) as { msg: string; req?: { url: string } })
      .find((l) => l.msg === 'request completed' && l.req?.url.startsWith(path));

  it('the access log keeps the path of a reset, verification or unsubscribe link but not its token', async () => {
    const u = await signUp(t.app);
    await request(t.app).post('/users/me/verification').set(u.bearer()).expect(202);
    const verifyToken = tokenInMail(t.sent.find((m) => m.to === u.email)!.text);
    await request(t.app).post('/password/forgot').set('X-Forwarded-For', randomIp()).send({ email: u.email });
    const resetMail = await eventually(() =>
      t.sent.find((m) => m.to === u.email && /reset/i.test(m.subject)),
    );
    const resetToken = tokenInMail(resetMail.text);
    const unsubToken = unsubscribeToken(u.user.id);

    await request(t.app).get('/password/reset').query({ token: resetToken }).expect(200);
    await request(t.app).get('/verify-email').query({ token: verifyToken, lang: 'en' }).expect(200);
    await request(t.app).get(`/unsubscribe?token=${encodeURIComponent(unsubToken)}`);
    // A JWT under any other name, and one in the path, are caught by their shape.
    await request(t.app).get(`/reminder_logs/${resetToken}`).query({ t: resetToken });

    const log = lines.join('');
    for (const token of [verifyToken, resetToken, unsubToken]) {
      expect(log).not.toContain(token);
      expect(log).not.toContain(encodeURIComponent(token));
      expect(log).not.toContain(token.split('.')[2]);
    }
    expect(accessLineFor('/password/reset')?.req?.url).toBe('/password/reset?token=[redacted]');
    expect(accessLineFor('/verify-email')?.req?.url).toBe('/verify-email?token=[redacted]&lang=en');
    expect(accessLineFor('/unsubscribe')?.req?.url).toBe('/unsubscribe?token=[redacted]');
    expect(accessLineFor('/reminder_logs/')?.req?.url).toBe('/reminder_logs/[redacted]?t=[redacted]');
  });

  it('an error logged while serving a link loses the token from the URL and from the message', async () => {
    const u = await signUp(t.app);
    const token = unsubscribeToken(u.user.id);
    jest
      .spyOn(t.runtime.services.accounts, 'verifyEmail')
      .mockRejectedValue(new Error(`could not verify /verify-email?token=${token}`));
    const res = await request(t.app).get('/verify-email').query({ token });
    expect(res.status).toBe(500);
    const errorLine = lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'unhandled error');
    expect(errorLine).toMatchObject({
      req: { url: '/verify-email?token=[redacted]' },
      err: { message: 'could not verify /verify-email?token=[redacted]' },
    });
    expect(lines.join('')).not.toContain(token.split('.')[2]);
  });
});
