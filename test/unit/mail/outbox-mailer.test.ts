import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createOutboxMailer, type OutboxLogger } from '../../../src/mail/outbox-mailer';

let root: string;
beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'outbox-'));
});
afterEach(() => fs.rm(root, { recursive: true, force: true }));

const recordingLogger = () => {
  const lines: { fields: object; message: string }[] = [];
  const logger: OutboxLogger = { info: (fields, message) => lines.push({ fields, message }) };
  return { logger, lines };
};

describe('outbox mailer', () => {
  it('writes one JSON file with the message fields, logs it and returns the file name as id', async () => {
    const dir = path.join(root, 'var', 'outbox');
    const { logger, lines } = recordingLogger();
    const mailer = createOutboxMailer({ dir, from: 'SubTracker <no-reply@subtracker.local>', logger });

    const { id } = await mailer.send({
      to: 'alice@example.com',
      subject: 'Welcome',
      text: 'Hello Alice',
      html: '<p>Hello Alice</p>',
      headers: { 'List-Unsubscribe': '<https://app.example/u/1>' },
      idempotencyKey: 'welcome:1',
      tags: ['welcome'],
    });

    expect(await fs.readdir(dir)).toEqual([`${id}.json`]);
    expect(id).toMatch(/^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z-[0-9a-f]+$/);
    const file = path.join(dir, `${id}.json`);
    const written = JSON.parse(await fs.readFile(file, 'utf8'));
    expect(written).toEqual({
      to: 'alice@example.com',
      from: 'SubTracker <no-reply@subtracker.local>',
      subject: 'Welcome',
      text: 'Hello Alice',
      html: '<p>Hello Alice</p>',
      headers: { 'List-Unsubscribe': '<https://app.example/u/1>' },
      idempotency_key: 'welcome:1',
      tags: ['welcome'],
      created_at: expect.any(String),
    });
    expect(id.startsWith(written.created_at.replace(/:/g, '-'))).toBe(true);
    expect(lines).toEqual([
      { fields: { to: 'alice@example.com', subject: 'Welcome', file }, message: 'mail written to outbox' },
    ]);
  });

  it('writes empty headers, no idempotency key and no tags when the message has none', async () => {
    const mailer = createOutboxMailer({ dir: root, from: 'a@example.com' });

    const { id } = await mailer.send({ to: 'bob@example.com', subject: 'Hi', text: 'Hi', html: '<p>Hi</p>' });

    const written = JSON.parse(await fs.readFile(path.join(root, `${id}.json`), 'utf8'));
    expect(written).toMatchObject({ headers: {}, idempotency_key: null, tags: [] });
  });

  it('gives messages sent at the same moment separate files', async () => {
    const mailer = createOutboxMailer({ dir: root, from: 'a@example.com' });
    const msg = { to: 'bob@example.com', subject: 'Hi', text: 'Hi', html: '<p>Hi</p>' };

    const ids = await Promise.all(Array.from({ length: 5 }, () => mailer.send(msg)));

    expect(new Set(ids.map((s) => s.id)).size).toBe(5);
    expect((await fs.readdir(root)).sort()).toEqual(ids.map((s) => `${s.id}.json`).sort());
  });
});
