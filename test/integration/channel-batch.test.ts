import crypto from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import request from 'supertest';
import type { Mailer, MailMessage } from '../../src/mail/mailer';
import {
  createIds,
  reminderBatchDigest,
  type BatchReminder,
  type ReminderBatchResult,
} from '../../src/temporal/contract';
import { reminderInstant } from '../../src/time';
import { createWorkerActivities } from '../../src/worker-activities';
import { createTestApp, type TestApp } from '../helpers/app';
import { startFakeReceiver, type FakeReceiver } from '../helpers/fake-receiver';
import { startTimeSkipping, startWorker, uniquePrefix, uniqueTaskQueue } from '../helpers/temporal';
import { createUserWithTokens } from '../helpers/users';

/** Standard Webhooks verification written from the specification (not the package that signs). */
function verifies(secret: string, headers: Record<string, unknown>, body: string): boolean {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = crypto
    .createHmac('sha256', key)
    .update(`${String(headers['webhook-id'])}.${String(headers['webhook-timestamp'])}.${body}`)
    .digest('base64');
  return String(headers['webhook-signature']).split(' ').includes(`v1,${expected}`);
}

/**
 * Channels end to end on the real stores: created through HTTP, planned and delivered by the reminder batch on the
 * time-skipping server (the worker's own activity wiring, the database of the app), read back through HTTP.
 */
describe('channel deliveries through the API, the database and a reminder batch', () => {
  const taskQueue = uniqueTaskQueue();
  const ids = createIds(uniquePrefix('chb'));
  const sent: MailMessage[] = [];
  const mailer: Mailer = {
    async send(message) {
      sent.push(message);
      return { id: `mail-${sent.length}` };
    },
  };
  let receiver: FakeReceiver;
  let t: TestApp;
  let env: TestWorkflowEnvironment;
  let worker: Worker;
  let running: Promise<void>;

  beforeAll(async () => {
    receiver = await startFakeReceiver();
    [t, env] = await Promise.all([
      createTestApp({ mailer, env: { NTFY_URL: `${receiver.url}/ntfy` } }),
      startTimeSkipping(),
    ]);
    worker = await startWorker(env, taskQueue, createWorkerActivities(t.runtime));
    running = worker.run();
  });
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await Promise.all([env?.teardown(), t?.close(), receiver?.close()]);
  });

  it('signs the webhook, posts to ntfy, logs each channel once, and a second batch delivers nothing again', async () => {
    const owner = await createUserWithTokens(t.runtime);
    const dueDate = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
    const sub = await request(t.app).post('/subscriptions').set(owner.auth).send({
      name: 'Netflix',
      price: '15.99',
      currency: 'EUR',
      billing_cycle: 'monthly',
      next_payment_date: dueDate,
    });
    expect(sub.status).toBe(201);
    const hook = await request(t.app)
      .post('/users/me/channels')
      .set(owner.auth)
      .send({ type: 'webhook', settings: { url: `${receiver.url}/hook` } });
    const ntfy = await request(t.app)
      .post('/users/me/channels')
      .set(owner.auth)
      .send({ type: 'ntfy', settings: { topic: 'bills', token: 'tk_ntfysecret' } });
    expect([hook.status, ntfy.status]).toEqual([201, 201]);

    const reminder: BatchReminder = {
      subscriptionId: sub.body.id,
      dueDate,
      offsetDays: 1,
      instantMs: reminderInstant(dueDate, 1, 9, 'UTC'),
    };
    const run = async (suffix: string) =>
      (await env.client.workflow.execute('reminderBatchWorkflow', {
        taskQueue,
        workflowId: ids.reminderBatch(reminder.instantMs, `${reminderBatchDigest([reminder])}${suffix}`),
        args: [{ reminders: [reminder] }],
      })) as ReminderBatchResult;

    const first = await run('');
    expect(first.outcomes[`rem:${sub.body.id}:${dueDate}:1`]).toMatchObject({ outcome: 'sent' });
    expect(Object.values(first.channelOutcomes ?? {})).toEqual([
      expect.objectContaining({ outcome: 'sent', attempts: 1 }),
      expect.objectContaining({ outcome: 'sent', attempts: 1 }),
    ]);
    const [webhookCall] = receiver.to('/hook');
    expect(verifies(hook.body.secret, webhookCall.headers, webhookCall.body)).toBe(true);
    const [ntfyCall] = receiver.to('/ntfy/');
    expect(ntfyCall.headers.authorization).toBe('Bearer tk_ntfysecret');
    expect(JSON.parse(ntfyCall.body)).toMatchObject({
      topic: 'bills',
      message: expect.stringContaining('Netflix'),
    });

    // A re-listed reminder in another batch: it is logged already, so neither the email nor a channel goes again.
    const second = await run('-again');
    expect(second.outcomes[`rem:${sub.body.id}:${dueDate}:1`]).toEqual({
      outcome: 'skipped',
      reason: 'already_logged',
    });
    expect(second.channelOutcomes).toBeUndefined();
    expect(receiver.requests).toHaveLength(2);
    expect(sent.filter((m) => m.idempotencyKey?.startsWith('rem:'))).toHaveLength(1);

    const logs = await request(t.app).get(`/subscriptions/${sub.body.id}/reminder_logs`).set(owner.auth);
    expect(logs.status).toBe(200);
    expect(logs.body[0].channels).toEqual([
      {
        channel_id: hook.body.id,
        type: 'webhook',
        status: 'sent',
        attempts: 1,
        response_status: 200,
        error: null,
        sent_at: expect.any(String),
      },
      {
        channel_id: ntfy.body.id,
        type: 'ntfy',
        status: 'sent',
        attempts: 1,
        response_status: 200,
        error: null,
        sent_at: expect.any(String),
      },
    ]);
    // Secrets never reached Temporal: the batch's history names channels by id only.
    const history = JSON.stringify(
      await env.client.workflow
        .getHandle(ids.reminderBatch(reminder.instantMs, reminderBatchDigest([reminder])))
        .fetchHistory(),
    );
    expect(history).not.toContain('tk_ntfysecret');
  });
});
