import crypto from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import request from 'supertest';
import type { ChannelTestResult } from '../../src/temporal/contract';
import { createSecretBox } from '../../src/channels/secret-box';
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

describe('POST /users/me/channels/{id}/test and /rotate-secret', () => {
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
    // Connected before the first request: the routes give a start 2 s, which a first connect on a loaded
    // machine can take by itself.
    await t.runtime.temporal.connection.ensureConnected();
    worker = await startWorker(env, taskQueue, createWorkerActivities(t.runtime));
    running = worker.run();
  });
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await Promise.all([env?.teardown(), t?.close(), down?.close(), receiver?.close()]);
  });

  /**
   * POSTs the test, again on a 503: the route gives Temporal 2 s to start the workflow, which a loaded machine can
   * miss (the client is told to retry, as here).
   */
  async function sendTest(id: number, auth: Record<string, string>) {
    for (let attempt = 1; ; attempt++) {
      const res = await request(t.app).post(`/users/me/channels/${id}/test`).set(auth);
      if (res.status !== 503 || attempt === 5) return res;
    }
  }

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

    const res = await sendTest(hook.id, owner.auth);

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

  it('rotating returns a new secret once, keeps the old one sealed for the overlap, and deliveries verify', async () => {
    const { owner, hook } = await webhookOf(t, '/rotating');

    const rotated = await request(t.app).post(`/users/me/channels/${hook.id}/rotate-secret`).set(owner.auth);

    expect(rotated.status).toBe(200);
    expect(rotated.body).toMatchObject({
      id: hook.id,
      type: 'webhook',
      secret: expect.stringMatching(/^whsec_/),
    });
    expect(rotated.body.secret).not.toBe(hook.secret);
    const overlapEnds = Date.parse(rotated.body.previous_secret_expires_at);
    expect(Math.abs(overlapEnds - Date.now() - 24 * 3_600_000)).toBeLessThan(60_000);
    const row = await t.runtime.db.models.Channel.findByPk(hook.id);
    expect(row!.secrets).not.toContain('whsec_');
    expect(createSecretBox(t.runtime.config.temporal.payloadKeys).open(row!.secrets)).toEqual({
      secret: rotated.body.secret,
      previous_secret: hook.secret,
      previous_until: String(overlapEnds),
    });
    // The new secret is never shown again.
    const read = await request(t.app).get(`/users/me/channels/${hook.id}`).set(owner.auth);
    expect(JSON.stringify(read.body)).not.toContain(rotated.body.secret);
    // Which signatures a delivery carries depends on the worker's clock (the time-skipping server's, which may
    // be past the overlap here): channel-test.workflow.test.ts checks both sides. The new secret always verifies.
    const res = await sendTest(hook.id, owner.auth);
    expect(res.status).toBe(202);
    expect(await env.client.workflow.getHandle(res.body.workflow_id).result()).toMatchObject({
      outcome: 'sent',
    });
    const [call] = receiver.to('/rotating');
    expect(verifies(rotated.body.secret, call.headers, call.body)).toBe(true);
  });

  it("rotating is 409 for a channel that is not a webhook and 404 for another user's", async () => {
    const owner = await createUserWithTokens(t.runtime);
    const ntfy = await request(t.app)
      .post('/users/me/channels')
      .set(owner.auth)
      .send({ type: 'ntfy', settings: { topic: 'bills' } })
      .expect(201);
    const notWebhook = await request(t.app)
      .post(`/users/me/channels/${ntfy.body.id}/rotate-secret`)
      .set(owner.auth);
    expect([notWebhook.status, notWebhook.body.error]).toEqual([409, 'not_a_webhook']);
    const { hook } = await webhookOf(t, '/theirs');
    const foreign = await request(t.app).post(`/users/me/channels/${hook.id}/rotate-secret`).set(owner.auth);
    expect([foreign.status, foreign.body.error]).toEqual([404, 'channel_not_found']);
  });

  it('is 503 when Temporal is down, and leaves no planned delivery behind', async () => {
    const { owner, hook } = await webhookOf(down, '/down');

    const res = await request(down.app).post(`/users/me/channels/${hook.id}/test`).set(owner.auth);

    expect(res.status).toBe(503);
    expect(await down.runtime.db.models.ChannelDelivery.count({ where: { channelId: hook.id } })).toBe(0);
  });
});
