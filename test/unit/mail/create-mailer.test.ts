import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { createMailer } from '../../../src/mail/create-mailer';
import { startFakeMailgun, type FakeMailgun } from '../../helpers/fake-mailgun';

const message = { to: 'alice@example.com', subject: 'Hi', text: 'Hi', html: '<p>Hi</p>' };

let fake: FakeMailgun;
let root: string;
let outboxDir: string;
beforeAll(async () => {
  fake = await startFakeMailgun();
});
beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'create-mailer-'));
  outboxDir = path.join(root, 'outbox');
});
afterEach(() => fs.rm(root, { recursive: true, force: true }));
afterAll(() => fake.close());

const mailConfig = (apiKey?: string) => ({
  apiKey,
  domain: 'mg.subtracker.test',
  url: fake.url,
  from: 'SubTracker <no-reply@subtracker.test>',
  outboxDir,
});

describe('createMailer', () => {
  it('sends through Mailgun when an API key is configured, and writes nothing to the outbox', async () => {
    const { id } = await createMailer(mailConfig(fake.apiKey)).send(message);

    const [received] = await fake.waitForMessages(1);
    expect(received).toMatchObject({ id, domain: 'mg.subtracker.test', to: 'alice@example.com' });
    await expect(fs.readdir(outboxDir)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('writes to the outbox when no API key is configured, logging through a pino logger', async () => {
    const requestsBefore = fake.requests;

    const { id } = await createMailer(mailConfig(), pino({ level: 'silent' })).send(message);

    expect(await fs.readdir(outboxDir)).toEqual([`${id}.json`]);
    expect(fake.requests).toBe(requestsBefore);
  });
});
