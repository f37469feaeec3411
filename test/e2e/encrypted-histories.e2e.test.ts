import { Client } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import request from 'supertest';
import { createIds } from '../../src/temporal/contract';
import { addDays, localDate } from '../../src/time';
import type { TestApp } from '../helpers/app';
import { startE2eHarness, type E2eHarness } from '../helpers/e2e-harness';
import type { FakeMailgun } from '../helpers/fake-mailgun';
import { eventually } from '../helpers/schedule-runs';
import { uniquePrefix, uniqueTaskQueue } from '../helpers/temporal';

/**
 * Readable histories: the API's client and the worker carry the payload codec, so what Temporal
 * stores (and shows to anyone who reaches its frontend or Web UI) holds no address, token or rendered email.
 * The histories are read here as such a visitor would: a client without the codec.
 */
describe('workflow histories, end to end on the dev server with the payload codec', () => {
  let env: TestWorkflowEnvironment;
  let mailgun: FakeMailgun;
  let t: TestApp;
  let harness: E2eHarness;
  const prefix = uniquePrefix('e2e-cipher');
  const taskQueue = uniqueTaskQueue('e2e-cipher');

  beforeAll(async () => {
    harness = await startE2eHarness(prefix, taskQueue);
    ({ env, mailgun, t } = harness);
  }, 60_000);
  afterAll(async () => {
    await harness?.close();
  });

  it('a welcome and a test reminder leave no email address, token or email body readable in their histories', async () => {
    // Registration (welcome workflow with the verification link), then a test reminder (address, rendered
    // email with the unsubscribe link), both through the API and the worker.
    const email = `Cipher.Owner-${process.pid}@Example.com`;
    const password = 'correct horse battery';
    const reg = await request(t.app).post('/register').send({ username: 'cipherowner', email, password });
    expect(reg.status).toBe(201);
    const welcome = await eventually(async () => mailgun.messages.find((m) => m.to === email));
    const verifyToken = new URL(
      /https:\/\/subtracker\.test\/verify-email\?\S+/.exec(welcome.text)![0],
    ).searchParams.get('token')!;
    expect((await request(t.app).get('/verify-email').query({ token: verifyToken })).status).toBe(200);
    const login = await request(t.app).post('/login').send({ email, password });
    const auth = { Authorization: `Bearer ${login.body.access_token as string}` };
    const sub = await request(t.app)
      .post('/subscriptions')
      .set(auth)
      .send({
        name: 'Quillwort Streaming',
        price: '12.50',
        currency: 'EUR',
        billing_cycle: 'monthly',
        next_payment_date: addDays(localDate(Date.now(), 'UTC'), 9),
      });
    expect(sub.status).toBe(201);
    const sent = await request(t.app)
      .post('/reminders/send-test')
      .set(auth)
      .send({ subscription_id: sub.body.id });
    expect(sent.status).toBe(202);
    // The codec-carrying client reads the result: the worker ran everything through the codec.
    expect(await env.client.workflow.getHandle(sent.body.workflow_id).result()).toMatchObject({
      outcome: 'sent',
    });
    const reminder = mailgun.messages.find((m) => m.to === email && m.subject.startsWith('[Test]'))!;
    const unsubscribeToken = new URL(
      /https:\/\/subtracker\.test\/unsubscribe\?\S+/.exec(reminder.text)![0],
    ).searchParams.get('token')!;

    const workflowIds = [
      createIds(prefix).welcome(reg.body.user.id as number),
      sent.body.workflow_id as string,
    ];
    const secrets = [email, email.toLowerCase(), 'Example.com', verifyToken, unsubscribeToken, 'Quillwort'];
    const plain = new Client({ connection: env.connection, namespace: env.namespace });
    for (const workflowId of workflowIds) {
      const history = await plain.workflow.getHandle(workflowId).fetchHistory();
      const raw = Buffer.from(temporal.api.history.v1.History.encode(history).finish());
      expect(secrets.filter((s) => raw.includes(s))).toEqual([]);

      // Every payload it stores is ciphertext, but the bookkeeping the SDK's core writes itself into a local
      // activity's marker (its type, attempt, times). Decrypted with the key, the same history does hold the
      // address (so the search above looked where it would be).
      const bookkeeping = new Set(
        (history.events ?? []).flatMap((e) => e.markerRecordedEventAttributes?.details?.data?.payloads ?? []),
      );
      const payloads = payloadsOf(history).filter((p) => !bookkeeping.has(p));
      expect(payloads.length).toBeGreaterThan(0);
      expect(new Set(payloads.map((p) => Buffer.from(p.metadata!.encoding!).toString()))).toEqual(
        new Set(['binary/encrypted']),
      );
      const decoded = Buffer.concat(
        (await t.runtime.temporal.payloadCodec.decode(payloads)).map((p) => Buffer.from(p.data ?? [])),
      );
      expect(decoded.includes(email.toLowerCase()) || decoded.includes(email)).toBe(true);
      // Without the codec a client cannot read the result at all.
      await expect(plain.workflow.getHandle(workflowId).result()).rejects.toThrow();
    }
  }, 90_000);
});

/** Every payload anywhere in a history (inputs, results, markers, signals...), in order. */
function payloadsOf(value: unknown, found: Payload[] = []): Payload[] {
  if (!value || typeof value !== 'object' || ArrayBuffer.isView(value)) return found;
  const candidate = value as Payload;
  if (candidate.metadata && typeof candidate.metadata === 'object' && ArrayBuffer.isView(candidate.data)) {
    found.push(candidate);
    return found;
  }
  for (const child of Object.values(value)) payloadsOf(child, found);
  return found;
}
