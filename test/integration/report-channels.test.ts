import crypto from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import request from 'supertest';
import type { Mailer, MailMessage } from '../../src/mail/mailer';
import {
  createIds,
  reportBatchDigest,
  reportKeyOf,
  type BatchReportUser,
  type ReportBatchResult,
} from '../../src/temporal/contract';
import { monthEndInstant } from '../../src/time';
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
 * Monthly reports to channels on the real stores: channels created through HTTP, the report batch on the
 * time-skipping server with the worker's own activity wiring, the deliveries read back from the database.
 */
describe('report deliveries to channels through the API, the database and a report batch', () => {
  const taskQueue = uniqueTaskQueue();
  const ids = createIds(uniquePrefix('rcb'));
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

  it('sends the report to the channels receiving reports, each logged once, and not again in a second batch', async () => {
    const owner = await createUserWithTokens(t.runtime);
    await request(t.app).patch('/users/me').set(owner.auth).send({ monthly_report: true }).expect(200);
    const today = new Date(await env.currentTimeMs()).toISOString().slice(0, 10);
    const month = today.slice(0, 7);
    await request(t.app)
      .post('/subscriptions')
      .set(owner.auth)
      .send({
        name: 'Netflix',
        price: '15.99',
        currency: 'USD',
        billing_cycle: 'monthly',
        next_payment_date: today,
      })
      .expect(201);
    const hook = await request(t.app)
      .post('/users/me/channels')
      .set(owner.auth)
      .send({ type: 'webhook', events: ['report'], settings: { url: `${receiver.url}/hook` } });
    const ntfy = await request(t.app)
      .post('/users/me/channels')
      .set(owner.auth)
      .send({ type: 'ntfy', events: ['reminder'], settings: { topic: 'bills' } });
    expect([hook.status, ntfy.status]).toEqual([201, 201]);

    const users: BatchReportUser[] = [
      { userId: owner.user.id, instantMs: monthEndInstant(month, 'UTC', owner.user.reminderHour) },
    ];
    const run = async (suffix: string) =>
      (await env.client.workflow.execute('reportBatchWorkflow', {
        taskQueue,
        workflowId: ids.reportBatch(month, users[0].instantMs, `${reportBatchDigest(users)}${suffix}`),
        args: [{ month, users }],
      })) as ReportBatchResult;

    const first = await run('');
    expect(first.outcomes[owner.user.id]).toMatchObject({ outcome: 'sent' });
    expect(Object.values(first.channelOutcomes ?? {})).toEqual([
      expect.objectContaining({ outcome: 'sent', attempts: 1 }),
    ]);
    expect(receiver.to('/ntfy')).toHaveLength(0);
    const [call] = receiver.to('/hook');
    expect(verifies(hook.body.secret, call.headers, call.body)).toBe(true);
    expect(JSON.parse(call.body)).toMatchObject({
      type: 'report.monthly',
      data: { month, totals: [{ currency: 'USD', amount: '15.99', charges_count: 1 }] },
    });

    const second = await run('-again');
    expect(second.outcomes[owner.user.id]).toEqual({ outcome: 'skipped', reason: 'already_recorded' });
    expect(receiver.requests).toHaveLength(1);
    expect(sent.filter((m) => m.idempotencyKey === reportKeyOf(owner.user.id, month))).toHaveLength(1);
    const rows = await t.runtime.db.models.ChannelDelivery.findAll({
      where: { deliveryKey: reportKeyOf(owner.user.id, month) },
    });
    expect(rows.map((r) => [r.channelId, r.event, r.status, r.attempts])).toEqual([
      [hook.body.id, 'report', 'sent', 1],
    ]);
  });
});
