import net from 'node:net';
import { createMailgunMailer } from '../../../src/mail/mailgun-mailer';
import { MailError, type MailMessage } from '../../../src/mail/mailer';
import { startFakeMailgun, type FakeMailgun } from '../../helpers/fake-mailgun';

const message: MailMessage = {
  to: 'alice@example.com',
  subject: 'Netflix is due in 7 days',
  text: 'Netflix: 15.49 USD on 2026-12-04',
  html: '<p>Netflix: <b>15.49 USD</b> on 2026-12-04</p>',
  headers: { 'List-Unsubscribe': '<https://app.example/unsubscribe/abc>', 'X-SubTracker-Kind': 'reminder' },
  idempotencyKey: 'rem:12:2026-12-04:7',
  tags: ['reminder', 'offset-7'],
};

let fake: FakeMailgun;
beforeAll(async () => {
  fake = await startFakeMailgun();
});
afterEach(() => fake.reset());
afterAll(() => fake.close());

const mailer = (overrides: Partial<Parameters<typeof createMailgunMailer>[0]> = {}) =>
  createMailgunMailer({
    apiKey: fake.apiKey,
    domain: 'mg.subtracker.test',
    url: fake.url,
    from: 'SubTracker <no-reply@subtracker.test>',
    ...overrides,
  });

/** The MailError a send rejects with (fails the test if it resolves or throws something else). */
async function failureOf(send: Promise<unknown>): Promise<MailError> {
  const err = await send.then(
    () => new Error('expected the send to fail'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(MailError);
  return err as MailError;
}

describe('Mailgun mailer', () => {
  it('delivers a message with its headers, idempotency variable and tags, and returns Mailgun’s id', async () => {
    const sent = await mailer().send(message);

    const [received] = await fake.waitForMessages(1);
    expect(received).toMatchObject({
      domain: 'mg.subtracker.test',
      from: 'SubTracker <no-reply@subtracker.test>',
      to: message.to,
      subject: message.subject,
      text: message.text,
      html: message.html,
      headers: message.headers,
      variables: { idempotency_key: 'rem:12:2026-12-04:7' },
      tags: ['reminder', 'offset-7'],
    });
    expect(sent).toEqual({ id: received.id });
  });

  it('sends no variables or tags when the message has none', async () => {
    await mailer().send({ to: 'bob@example.com', subject: 'Hi', text: 'Hi', html: '<p>Hi</p>' });

    const [received] = await fake.waitForMessages(1);
    expect(received).toMatchObject({ headers: {}, variables: {}, tags: [] });
  });

  it.each([500, 503])('treats a %i answer as transient and keeps the status', async (status) => {
    fake.failNext(1, { status });

    const err = await failureOf(mailer().send(message));
    expect(err).toMatchObject({ transient: true, status });
    expect(fake.messages).toHaveLength(0);
  });

  it('treats a 429 as transient and reads Retry-After in seconds', async () => {
    fake.failNext(1, { status: 429, retryAfter: 120 });

    const err = await failureOf(mailer().send(message));
    expect(err).toMatchObject({ transient: true, status: 429, retryAfterSeconds: 120 });
  });

  it('reads a Retry-After given as an HTTP-date as the seconds left until then', async () => {
    fake.failNext(1, { status: 429, retryAfter: new Date(Date.now() + 90_000).toUTCString() });

    const err = await failureOf(mailer().send(message));
    expect(err.retryAfterSeconds).toBeGreaterThanOrEqual(88);
    expect(err.retryAfterSeconds).toBeLessThanOrEqual(91);
  });

  it('treats a 400 as permanent and reports what Mailgun said', async () => {
    fake.failNext(1, { status: 400, body: { message: "'to' parameter is not a valid address" } });

    const err = await failureOf(mailer().send(message));
    expect(err).toMatchObject({ transient: false, status: 400 });
    expect(err.message).toContain("'to' parameter is not a valid address");
  });

  it('treats a rejected API key (401) as permanent without leaking the key', async () => {
    const err = await failureOf(mailer({ apiKey: 'key-wrong-secret' }).send(message));

    expect(err).toMatchObject({ transient: false, status: 401 });
    expect(err.message).not.toContain('key-wrong-secret');
    expect(fake.messages).toHaveLength(0);
  });

  it('abandons a server that never answers after timeoutMs, as a transient failure', async () => {
    fake.hangNext(1);
    const started = Date.now();

    const err = await failureOf(mailer({ timeoutMs: 300 }).send(message));
    const elapsed = Date.now() - started;
    expect(err).toMatchObject({ transient: true, status: undefined });
    expect(err.message).toMatch(/within 300 ms/);
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(2_000);
  });

  it('treats a refused connection as transient', async () => {
    const port = await closedPort();

    const err = await failureOf(mailer({ url: `http://127.0.0.1:${port}` }).send(message));
    expect(err).toMatchObject({ transient: true, status: undefined });
    expect(err.message).toContain('ECONNREFUSED');
  });

  it('treats a connection the server resets as transient', async () => {
    const resetting = net.createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => resetting.listen(0, '127.0.0.1', resolve));
    const { port } = resetting.address() as net.AddressInfo;

    const err = await failureOf(mailer({ url: `http://127.0.0.1:${port}` }).send(message));
    await new Promise((resolve) => resetting.close(resolve));
    expect(err).toMatchObject({ transient: true, status: undefined });
  });

  it('treats a host that does not resolve as transient', async () => {
    const err = await failureOf(mailer({ url: 'http://mailgun.invalid', timeoutMs: 2_000 }).send(message));

    expect(err).toMatchObject({ transient: true, status: undefined });
  });
});

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
