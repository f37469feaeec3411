import crypto from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import request from 'supertest';
import type { ChannelTestResult } from '../../src/temporal/contract';
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

describe('POST /users/me/channels/{id}/test', () => {
  const taskQueue = uniqueTaskQueue('chtest');
  let receiver: FakeReceiver;
  let t: TestApp;
  let down: TestApp;
  let env: TestWorkflowEnvironment;
  let worker: Worker;
  let running: Promise<void>;

  beforeAll(async () => {
    receiver = await startFakeReceiver();
    env = await startTimeSkipping();
    [t, down] = await Promise.all([
      createTestApp({
        temporalAddress: env.address,
        env: { TEMPORAL_TASK_QUEUE: taskQueue, TEMPORAL_ID_PREFIX: uniquePrefix('chtest') },
      }),
      createTestApp(),
    ]);
    worker = await startWorker(env, taskQueue, createWorkerActivities(t.runtime));
    running = worker.run();
  });
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await Promise.all([env?.teardown(), t?.close(), down?.close(), receiver?.close()]);
  });

  async function webhookOf(app: TestApp, path: string) {
    const owner = await createUserWithTokens(app.runtime);
    const hook = await request(app.app)
      .post('/users/me/channels')
      .set(owner.auth)
      .send({ type: 'webhook', settings: { url: `${receiver.url}${path}` } })
      .expect(201);
    return { owner, hook: hook.body as { id: number; secret: string } };
  }

  it('answers 202 with the workflow id; the workflow retries a 503 and delivers one signed channel.test', async () => {
    const { owner, hook } = await webhookOf(t, '/test-hook');
    receiver.answer('/test-hook', { status: 503 }, 1);

    const res = await request(t.app).post(`/users/me/channels/${hook.id}/test`).set(owner.auth);

    expect(res.status).toBe(202);
    expect(res.body.workflow_id).toEqual(expect.stringContaining(`channel-test-${hook.id}-`));
    const result = (await env.client.workflow.getHandle(res.body.workflow_id).result()) as ChannelTestResult;
    expect(result).toMatchObject({ outcome: 'sent', attempts: 2, status: 200 });
    const calls = receiver.to('/test-hook');
    expect(calls).toHaveLength(2);
    expect(new Set(calls.map((c) => c.headers['webhook-id'])).size).toBe(1);
    expect(verifies(hook.secret, calls[1].headers, calls[1].body)).toBe(true);
    expect(JSON.parse(calls[1].body)).toMatchObject({
      type: 'channel.test',
      data: { subscription: { name: 'SubTracker test' }, offset_days: 7 },
    });
    const rows = await t.runtime.db.models.ChannelDelivery.findAll({ where: { channelId: hook.id } });
    expect(rows.map((r) => [r.event, r.status, r.attempts, r.responseStatus])).toEqual([
      ['test', 'sent', 2, 200],
    ]);
  });

  it("is 404 for another user's channel and 409 for a disabled one", async () => {
    const { owner, hook } = await webhookOf(t, '/other');
    const stranger = await createUserWithTokens(t.runtime);
    const foreign = await request(t.app).post(`/users/me/channels/${hook.id}/test`).set(stranger.auth);
    expect([foreign.status, foreign.body.error]).toEqual([404, 'channel_not_found']);

    await request(t.app)
      .patch(`/users/me/channels/${hook.id}`)
      .set(owner.auth)
      .send({ enabled: false })
      .expect(200);
    const disabled = await request(t.app).post(`/users/me/channels/${hook.id}/test`).set(owner.auth);
    expect([disabled.status, disabled.body.error]).toEqual([409, 'channel_disabled']);
    expect(receiver.to('/other')).toHaveLength(0);
  });

  it('is 503 when Temporal is down, and leaves no planned delivery behind', async () => {
    const { owner, hook } = await webhookOf(down, '/down');

    const res = await request(down.app).post(`/users/me/channels/${hook.id}/test`).set(owner.auth);

    expect(res.status).toBe(503);
    expect(await down.runtime.db.models.ChannelDelivery.count({ where: { channelId: hook.id } })).toBe(0);
  });
});
