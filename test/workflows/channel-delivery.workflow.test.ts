import crypto from 'node:crypto';
import pLimit from 'p-limit';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createReminderActivities } from '../../activities/reminder-activities';
import { createChannelSender, type ChannelSender } from '../../src/channels/channel-sender';
import {
  channelDeliveryName,
  createIds,
  reminderBatchDigest,
  reminderKeyOf,
  type BatchReminder,
  type ReminderBatchResult,
} from '../../src/temporal/contract';
import { addDays, localDate, reminderInstant } from '../../src/time';
import { createMemoryChannelStore, memoryChannel } from '../helpers/channel-fakes';
import type { FakeMailgun } from '../helpers/fake-mailgun';
import { startFakeReceiver, type FakeReceiver } from '../helpers/fake-receiver';
import {
  startMailgunWorkflowHarness,
  type MailgunWorkflowHarness,
} from '../helpers/mailgun-workflow-harness';
import {
  createMemoryReminderStore,
  idleAdvancer,
  reminderLinks,
  reminderOwner,
  reminderSubscription,
  testSendSlots,
} from '../helpers/reminder-fakes';
import { uniquePrefix, uniqueTaskQueue } from '../helpers/temporal';

/** Standard Webhooks verification written from the specification, not with the package that signs. */
function verifySignature(secret: string, headers: Record<string, unknown>, body: string): boolean {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const signed = `${String(headers['webhook-id'])}.${String(headers['webhook-timestamp'])}.${body}`;
  const expected = crypto.createHmac('sha256', key).update(signed).digest('base64');
  return String(headers['webhook-signature'])
    .split(' ')
    .some((s) => s === `v1,${expected}`);
}

describe('channel deliveries in the reminder batch (time skipping, local receivers)', () => {
  const ids = createIds(uniquePrefix('channels'));
  const taskQueue = uniqueTaskQueue();
  const memory = createMemoryReminderStore();
  const channels = createMemoryChannelStore();
  /** Server time of each channel attempt, by channel type. */
  const attempts: { type: string; nowMs: number }[] = [];
  const secret = `whsec_${crypto.randomBytes(32).toString('base64')}`;
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
      attempts.push({ type: channel.type, nowMs });
      return real(channel, event, nowMs);
    };
    harness = await startMailgunWorkflowHarness({
      taskQueue,
      activities: (mailer) =>
        createReminderActivities({
          reminders: memory.store,
          advancer: idleAdvancer,
          mailer,
          links: reminderLinks,
          sendSlots: testSendSlots,
          channels: { channels: channels.store, sendChannel, channelSlots: pLimit(4), disableAfter: 2 },
        }),
    });
    ({ fake, env } = harness);
  });
  beforeEach(() => {
    fake.reset();
    receiver.reset();
    attempts.length = 0;
  });
  afterAll(async () => {
    await harness?.close();
    await receiver?.close();
  });

  /** An owner with a webhook and an ntfy channel, and `count` subscriptions due in 10 days, reminding 1 day before. */
  async function arrange(count = 1) {
    const now = await env.currentTimeMs();
    const userId = nextId++;
    const user = reminderOwner(userId, { reminderOffsets: [1] });
    memory.owners.set(userId, user);
    const dueDate = addDays(localDate(now, user.timezone), 10);
    const reminders: BatchReminder[] = [];
    for (let i = 0; i < count; i++) {
      const subId = nextId++;
      memory.subscriptions.set(
        subId,
        reminderSubscription(subId, userId, dueDate, { name: `Plan ${subId}` }),
      );
      reminders.push({
        subscriptionId: subId,
        dueDate,
        offsetDays: 1,
        instantMs: reminderInstant(dueDate, 1, user.reminderHour, user.timezone),
      });
    }
    const webhook = memoryChannel(
      nextId++,
      userId,
      'webhook',
      { url: `${receiver.url}/hook/${userId}` },
      { secret },
    );
    const ntfy = memoryChannel(nextId++, userId, 'ntfy', {
      server: `${receiver.url}/ntfy`,
      topic: `topic-${userId}`,
    });
    channels.channels.set(webhook.id, webhook);
    channels.channels.set(ntfy.id, ntfy);
    return { user, reminders, webhook, ntfy };
  }

  async function runBatch(reminders: BatchReminder[]): Promise<ReminderBatchResult> {
    const handle = await env.client.workflow.start('reminderBatchWorkflow', {
      taskQueue,
      workflowId: ids.reminderBatch(reminders[0].instantMs, reminderBatchDigest(reminders)),
      args: [{ reminders }],
    });
    return (await handle.result()) as ReminderBatchResult;
  }

  it('delivers the email, a signed webhook and an ntfy message, each once, with a stable webhook-id', async () => {
    const { user, reminders, webhook, ntfy } = await arrange();
    const key = reminderKeyOf(reminders[0]);
    const result = await runBatch(reminders);

    expect(result.outcomes[key]).toMatchObject({ outcome: 'sent', attempts: 1 });
    expect(result.channelOutcomes).toEqual({
      [channelDeliveryName(key, webhook.id)]: {
        outcome: 'sent',
        attempts: 1,
        status: 200,
        providerMessageId: expect.any(String),
      },
      [channelDeliveryName(key, ntfy.id)]: {
        outcome: 'sent',
        attempts: 1,
        status: 200,
        providerMessageId: expect.any(String),
      },
    });
    expect(fake.messages).toHaveLength(1);
    const [hook] = receiver.to(`/hook/${user.id}`);
    expect(verifySignature(secret, hook.headers, hook.body)).toBe(true);
    expect(hook.headers['webhook-id']).toBe(
      `msg_rem_${reminders[0].subscriptionId}_${reminders[0].dueDate}_1`,
    );
    expect(JSON.parse(hook.body)).toEqual({
      type: 'reminder.due',
      id: hook.headers['webhook-id'],
      timestamp: expect.any(String),
      data: {
        kind: 'charge',
        subscription: { id: reminders[0].subscriptionId, name: `Plan ${reminders[0].subscriptionId}` },
        amount: '15.99',
        currency: 'EUR',
        due_date: reminders[0].dueDate,
        offset_days: 1,
        reminder_at: new Date(reminders[0].instantMs).toISOString(),
      },
    });
    const ntfyBody = JSON.parse(receiver.to('/ntfy/')[0].body);
    expect(ntfyBody).toMatchObject({
      topic: `topic-${user.id}`,
      message: expect.stringContaining('15.99 EUR'),
    });
    expect(channels.deliveries.filter((d) => d.deliveryKey === key).map((d) => d.status)).toEqual([
      'sent',
      'sent',
    ]);
  });

  it('ends a webhook answering 410 failed at once, while the email and ntfy deliver', async () => {
    const { user, reminders, webhook, ntfy } = await arrange();
    receiver.answer(`/hook/${user.id}`, { status: 410 });
    const key = reminderKeyOf(reminders[0]);
    const result = await runBatch(reminders);

    expect(result.outcomes[key]).toMatchObject({ outcome: 'sent' });
    expect(result.channelOutcomes![channelDeliveryName(key, webhook.id)]).toEqual({
      outcome: 'failed',
      attempts: 1,
      status: 410,
      error: 'HTTP 410',
    });
    expect(result.channelOutcomes![channelDeliveryName(key, ntfy.id)]).toMatchObject({ outcome: 'sent' });
    expect(receiver.to(`/hook/${user.id}`)).toHaveLength(1);
    expect(fake.messages).toHaveLength(1);
  });

  it('waits out an ntfy 429 Retry-After of 90 s, then delivers; the webhook and email are not held up', async () => {
    const { reminders, ntfy, webhook } = await arrange();
    receiver.answer('/ntfy/', { status: 429, headers: { 'retry-after': '90' } }, 1);
    const key = reminderKeyOf(reminders[0]);
    const result = await runBatch(reminders);

    expect(result.channelOutcomes![channelDeliveryName(key, ntfy.id)]).toMatchObject({
      outcome: 'sent',
      attempts: 2,
    });
    expect(result.channelOutcomes![channelDeliveryName(key, webhook.id)]).toMatchObject({
      outcome: 'sent',
      attempts: 1,
    });
    const ntfyTimes = attempts.filter((a) => a.type === 'ntfy').map((a) => a.nowMs);
    const webhookTimes = attempts.filter((a) => a.type === 'webhook').map((a) => a.nowMs);
    expect(ntfyTimes).toHaveLength(2);
    expect(ntfyTimes[1] - ntfyTimes[0]).toBeGreaterThanOrEqual(90_000);
    expect(webhookTimes[0] - reminders[0].instantMs).toBeLessThan(5_000);
    expect(fake.messages).toHaveLength(1);
  });

  it('retries a 503 with backoff and keeps one webhook-id across the attempts', async () => {
    const { user, reminders, webhook } = await arrange();
    receiver.answer(`/hook/${user.id}`, { status: 503 }, 2);
    const key = reminderKeyOf(reminders[0]);
    const result = await runBatch(reminders);

    expect(result.channelOutcomes![channelDeliveryName(key, webhook.id)]).toMatchObject({
      outcome: 'sent',
      attempts: 3,
    });
    const hooks = receiver.to(`/hook/${user.id}`);
    expect(new Set(hooks.map((h) => h.headers['webhook-id'])).size).toBe(1);
    expect(hooks.every((h) => verifySignature(secret, h.headers, h.body))).toBe(true);
  });

  it('disables a channel after 2 deliveries failed in a row and tells its owner by email', async () => {
    const { user, reminders, webhook } = await arrange(2);
    receiver.answer(`/hook/${user.id}`, { status: 404 });
    const result = await runBatch(reminders);

    for (const reminder of reminders) {
      expect(result.channelOutcomes![channelDeliveryName(reminderKeyOf(reminder), webhook.id)]).toMatchObject(
        {
          outcome: 'failed',
          status: 404,
        },
      );
    }
    expect(channels.channels.get(webhook.id)!.enabled).toBe(false);
    const notices = fake.messages.filter((m) => m.subject.includes('disabled'));
    expect(notices).toHaveLength(1);
    expect(notices[0].to).toBe(`owner${user.id}@example.com`);
    // The two reminders' emails went as usual.
    expect(fake.messages.filter((m) => m.variables.idempotency_key?.startsWith('rem:'))).toHaveLength(2);
  });
});
