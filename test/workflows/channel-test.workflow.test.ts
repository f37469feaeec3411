import crypto from 'node:crypto';
import pLimit from 'p-limit';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createChannelDelivery } from '../../activities/channel-delivery';
import { reminderEvent } from '../../src/channels/channel-event';
import { createChannelSender, type ChannelSender } from '../../src/channels/channel-sender';
import { newWebhookSecret, rotatedWebhookSecrets } from '../../src/channels/channel-settings';
import {
  channelTestKeyOf,
  createIds,
  type ChannelTestInput,
  type ChannelTestResult,
} from '../../src/temporal/contract';
import { createMemoryChannelStore, memoryChannel } from '../helpers/channel-fakes';
import type { FakeMailgun } from '../helpers/fake-mailgun';
import { startFakeReceiver, type FakeReceiver } from '../helpers/fake-receiver';
import {
  startMailgunWorkflowHarness,
  type MailgunWorkflowHarness,
} from '../helpers/mailgun-workflow-harness';
import { uniquePrefix, uniqueTaskQueue } from '../helpers/temporal';

/** Standard Webhooks verification written from the specification, not with the package that signs. */
function verifies(secret: string, headers: Record<string, unknown>, body: string): boolean {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = crypto
    .createHmac('sha256', key)
    .update(`${String(headers['webhook-id'])}.${String(headers['webhook-timestamp'])}.${body}`)
    .digest('base64');
  return String(headers['webhook-signature']).split(' ').includes(`v1,${expected}`);
}

describe('channelTestWorkflow (time skipping, local receiver)', () => {
  const ids = createIds(uniquePrefix('chtestwf'));
  const taskQueue = uniqueTaskQueue();
  const channels = createMemoryChannelStore();
  const times: number[] = [];
  let receiver: FakeReceiver;
  let fake: FakeMailgun;
  let env: TestWorkflowEnvironment;
  let harness: MailgunWorkflowHarness;
  let nextId = 1;

  beforeAll(async () => {
    receiver = await startFakeReceiver();
    const real = createChannelSender({
      ntfyUrl: receiver.url,
      discordWebhookBase: `${receiver.url}/discord/`,
      slackWebhookBase: `${receiver.url}/slack/`,
      telegramApiUrl: `${receiver.url}/telegram`,
      allowPrivate: true,
    });
    const sendChannel: ChannelSender = (channel, event, nowMs) => {
      times.push(nowMs);
      return real(channel, event, nowMs);
    };
    harness = await startMailgunWorkflowHarness({
      taskQueue,
      activities: (mailer) =>
        createChannelDelivery({
          channels: channels.store,
          sendChannel,
          channelSlots: pLimit(2),
          disableAfter: 5,
          mailer,
        }),
    });
    ({ fake, env } = harness);
  });
  beforeEach(() => {
    receiver.reset();
    times.length = 0;
  });
  afterAll(async () => {
    await harness?.close();
    await receiver?.close();
  });

  /** A Slack channel and the test delivery the API would plan for it, then the workflow run to its end. */
  async function runTest(
    options: { deleteFirst?: boolean; channel?: ReturnType<typeof memoryChannel> } = {},
  ) {
    const channel =
      options.channel ??
      memoryChannel(nextId++, 1, 'slack', {}, { webhook_url: `${receiver.url}/slack/T/B/x` });
    channels.channels.set(channel.id, channel);
    const nonce = String(nextId++);
    const key = channelTestKeyOf(channel.id, nonce);
    const workflowId = ids.channelTest(channel.id, nonce);
    const nowMs = await env.currentTimeMs();
    if (!options.deleteFirst) {
      channels.deliveries.push({
        id: nextId++,
        channelId: channel.id,
        userId: 1,
        deliveryKey: key,
        payload: reminderEvent({
          deliveryKey: key,
          subscription: { id: 0, name: 'SubTracker test', priceMinor: 999, currency: 'EUR' },
          dueDate: '2026-12-20',
          offsetDays: 7,
          instantMs: nowMs,
          nowMs,
          test: true,
        }),
        attempts: 0,
        nextAttemptMs: nowMs,
        workflowId,
        status: 'pending',
      });
    }
    const input: ChannelTestInput = { key, channelId: channel.id };
    const result = (await env.client.workflow.execute('channelTestWorkflow', {
      taskQueue,
      workflowId,
      args: [input],
    })) as ChannelTestResult;
    return { result, key };
  }

  it("waits out a 429's Retry-After of 120 s on a durable timer, then delivers the [test] line", async () => {
    receiver.answer('/slack/', { status: 429, headers: { 'retry-after': '120' } }, 1);

    const { result } = await runTest();

    expect(result).toMatchObject({ outcome: 'sent', attempts: 2, status: 200 });
    expect(times).toHaveLength(2);
    expect(times[1] - times[0]).toBeGreaterThanOrEqual(120_000);
    expect(JSON.parse(receiver.to('/slack/')[1].body).text).toMatch(/^\[test\] SubTracker test: 9\.99 EUR/);
  });

  it('ends failed at once on a 403, with the answer logged on the delivery', async () => {
    receiver.answer('/slack/', { status: 403 });

    const { result, key } = await runTest();

    expect(result).toEqual({ outcome: 'failed', attempts: 1, status: 403, error: 'HTTP 403' });
    expect(channels.deliveries.find((d) => d.deliveryKey === key)).toMatchObject({
      status: 'failed',
      responseStatus: 403,
    });
    expect(fake.messages).toHaveLength(0);
  });

  it('after a rotation signs with both secrets until the overlap ends, then with the new one only', async () => {
    const old = newWebhookSecret();
    const untilMs = (await env.currentTimeMs()) + 24 * 3_600_000;
    const secrets = rotatedWebhookSecrets({ secret: old }, untilMs);
    const channel = memoryChannel(nextId++, 1, 'webhook', { url: `${receiver.url}/hook` }, secrets);
    const last = () => receiver.to('/hook').at(-1)!;

    expect(await runTest({ channel })).toMatchObject({ result: { outcome: 'sent' } });
    const during = last();
    expect(String(during.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(verifies(old, during.headers, during.body)).toBe(true);
    expect(verifies(secrets.secret, during.headers, during.body)).toBe(true);

    await env.sleep(untilMs - (await env.currentTimeMs()) + 1_000);
    expect(await runTest({ channel })).toMatchObject({ result: { outcome: 'sent' } });
    const after = last();
    expect(String(after.headers['webhook-signature']).split(' ')).toHaveLength(1);
    expect(verifies(secrets.secret, after.headers, after.body)).toBe(true);
    expect(verifies(old, after.headers, after.body)).toBe(false);
  });

  it('says channel_deleted when the channel (and so its delivery) went before the workflow ran', async () => {
    const { result } = await runTest({ deleteFirst: true });

    expect(result).toEqual({ outcome: 'skipped', reason: 'channel_deleted' });
    expect(receiver.requests).toHaveLength(0);
  });
});
