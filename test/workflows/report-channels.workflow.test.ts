import crypto from 'node:crypto';
import pLimit from 'p-limit';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createChannelDelivery } from '../../activities/channel-delivery';
import { createReportActivities } from '../../activities/report-activities';
import { createChannelSender, type ChannelSender } from '../../src/channels/channel-sender';
import {
  channelDeliveryName,
  createIds,
  reportBatchDigest,
  reportKeyOf,
  type BatchReportUser,
  type ReportBatchResult,
} from '../../src/temporal/contract';
import { localMonth, monthEndInstant } from '../../src/time';
import { createMemoryChannelStore, memoryChannel } from '../helpers/channel-fakes';
import type { FakeMailgun } from '../helpers/fake-mailgun';
import { startFakeReceiver, type FakeReceiver } from '../helpers/fake-receiver';
import {
  recordAttemptTimes,
  startMailgunWorkflowHarness,
  type MailgunWorkflowHarness,
} from '../helpers/mailgun-workflow-harness';
import { testSendSlots } from '../helpers/reminder-fakes';
import { createMemoryReportStore, reportCharge, reportLinks, reportUser } from '../helpers/report-fakes';
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

describe('report deliveries to channels in the report batch (time skipping, local receivers)', () => {
  const ids = createIds(uniquePrefix('rchan'));
  const taskQueue = uniqueTaskQueue();
  const reports = createMemoryReportStore();
  const channels = createMemoryChannelStore();
  const channelTimes: { type: string; nowMs: number }[] = [];
  const mailTimes: number[] = [];
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
      channelTimes.push({ type: channel.type, nowMs });
      return real(channel, event, nowMs);
    };
    harness = await startMailgunWorkflowHarness({
      taskQueue,
      observe: recordAttemptTimes(mailTimes),
      activities: (mailer) => ({
        ...createReportActivities({
          ...reports.deps,
          mailer,
          links: reportLinks,
          sendSlots: testSendSlots,
          channels: channels.store,
        }),
        ...createChannelDelivery({
          channels: channels.store,
          sendChannel,
          channelSlots: pLimit(4),
          disableAfter: 3,
          mailer,
        }),
      }),
    });
    ({ fake, env } = harness);
  });
  beforeEach(() => {
    fake.reset();
    receiver.reset();
    channelTimes.length = 0;
    mailTimes.length = 0;
  });
  afterAll(async () => {
    await harness?.close();
    await receiver?.close();
  });

  /**
   * A user charged 45.97 EUR and 10.00 USD in the month that has just begun (reported once it ends), with a
   * webhook and a Discord channel receiving reports and an ntfy channel receiving reminders only.
   */
  async function arrange() {
    const month = localMonth(await env.currentTimeMs(), 'UTC');
    const user = reportUser(nextId++, { currency: 'EUR' });
    reports.users.set(user.id, user);
    reports.setCharges(user.id, month, [
      reportCharge(`${month}-02`, 1_599, { currency: 'EUR' }),
      reportCharge(`${month}-03`, 2_999, { currency: 'EUR' }),
      reportCharge(`${month}-04`, 1_000, { currency: 'USD' }),
    ]);
    const webhook = {
      ...memoryChannel(nextId++, user.id, 'webhook', { url: `${receiver.url}/hook/${user.id}` }, { secret }),
      events: ['reminder' as const, 'report' as const],
    };
    const discord = {
      ...memoryChannel(
        nextId++,
        user.id,
        'discord',
        {},
        {
          webhook_url: `${receiver.url}/discord/${user.id}/token`,
        },
      ),
      events: ['report' as const],
    };
    const ntfy = memoryChannel(nextId++, user.id, 'ntfy', {
      server: `${receiver.url}/ntfy`,
      topic: `t${user.id}`,
    });
    for (const c of [webhook, discord, ntfy]) channels.channels.set(c.id, c);
    const listed: BatchReportUser[] = [{ userId: user.id, instantMs: monthEndInstant(month, 'UTC', 9) }];
    return { month, user, webhook, discord, ntfy, listed };
  }

  function runBatch(month: string, users: BatchReportUser[], workflowId?: string) {
    return env.client.workflow.execute('reportBatchWorkflow', {
      taskQueue,
      workflowId: workflowId ?? ids.reportBatch(month, users[0].instantMs, reportBatchDigest(users)),
      args: [{ month, users }],
    }) as Promise<ReportBatchResult>;
  }

  it('sends the email and one signed summary to each report channel; a second batch sends nothing again', async () => {
    const { month, user, webhook, discord, listed } = await arrange();
    const key = reportKeyOf(user.id, month);

    const result = await runBatch(month, listed);

    expect(result.outcomes[user.id]).toMatchObject({ outcome: 'sent', attempts: 1 });
    expect(result.channelOutcomes).toEqual({
      [channelDeliveryName(key, webhook.id)]: expect.objectContaining({ outcome: 'sent', attempts: 1 }),
      [channelDeliveryName(key, discord.id)]: expect.objectContaining({ outcome: 'sent', attempts: 1 }),
    });
    expect(fake.messages).toHaveLength(1);
    expect(receiver.to('/ntfy')).toHaveLength(0);
    const [hook] = receiver.to(`/hook/${user.id}`);
    expect(verifySignature(secret, hook.headers, hook.body)).toBe(true);
    expect(hook.headers['webhook-id']).toBe(`msg_report_${user.id}_${month}`);
    expect(JSON.parse(hook.body)).toEqual({
      type: 'report.monthly',
      id: `msg_report_${user.id}_${month}`,
      timestamp: expect.any(String),
      data: {
        month,
        currency: 'EUR',
        totals: [
          { currency: 'EUR', amount: '45.98', charges_count: 2 },
          { currency: 'USD', amount: '10.00', charges_count: 1 },
        ],
        charges_count: 3,
      },
    });
    const [chat] = receiver.to(`/discord/${user.id}/`);
    expect(JSON.parse(chat.body).content).toBe(
      `SubTracker report for ${month}: 45.98 EUR (2 charges), 10.00 USD (1 charge)`,
    );
    expect(channels.deliveries.filter((d) => d.deliveryKey === key).map((d) => d.status)).toEqual([
      'sent',
      'sent',
    ]);

    // The same users in another batch (a second fan-out): the report is recorded, nothing goes out twice.
    const again = await runBatch(month, listed, `${ids.reportBatch(month, listed[0].instantMs, 'again')}`);
    expect(again.outcomes[user.id]).toEqual({ outcome: 'skipped', reason: 'already_recorded' });
    expect(again.channelOutcomes).toBeUndefined();
    expect(receiver.requests).toHaveLength(2);
    expect(fake.messages).toHaveLength(1);
  });

  it('a failing email is retried on its own clock: the channels deliver at the instant, not after it', async () => {
    const { month, user, webhook, listed } = await arrange();
    fake.failNext(3, { status: 503 });

    const result = await runBatch(month, listed);

    expect(result.outcomes[user.id]).toMatchObject({ outcome: 'sent', attempts: 4 });
    expect(
      result.channelOutcomes![channelDeliveryName(reportKeyOf(user.id, month), webhook.id)],
    ).toMatchObject({ outcome: 'sent', attempts: 1 });
    expect(mailTimes).toHaveLength(4);
    const hookTime = channelTimes.find((t) => t.type === 'webhook')!.nowMs;
    expect(hookTime - listed[0].instantMs).toBeLessThan(5_000);
    expect(mailTimes[3] - hookTime).toBeGreaterThanOrEqual(30_000);
  });

  it('a webhook answering 503 is retried with one webhook-id while the email goes once; a 404 Discord ends failed', async () => {
    const { month, user, webhook, discord, listed } = await arrange();
    receiver.answer(`/hook/${user.id}`, { status: 503 }, 2);
    receiver.answer(`/discord/${user.id}/`, { status: 404 });
    const key = reportKeyOf(user.id, month);

    const result = await runBatch(month, listed);

    expect(result.outcomes[user.id]).toMatchObject({ outcome: 'sent', attempts: 1 });
    expect(result.channelOutcomes![channelDeliveryName(key, webhook.id)]).toMatchObject({
      outcome: 'sent',
      attempts: 3,
    });
    expect(result.channelOutcomes![channelDeliveryName(key, discord.id)]).toMatchObject({
      outcome: 'failed',
      attempts: 1,
      status: 404,
    });
    const hooks = receiver.to(`/hook/${user.id}`);
    expect(hooks).toHaveLength(3);
    expect(new Set(hooks.map((h) => h.headers['webhook-id'])).size).toBe(1);
    expect(fake.messages).toHaveLength(1);
  });

  it('a month without charges sends no email and no channel message', async () => {
    const { month, user, listed } = await arrange();
    reports.setCharges(user.id, month, []);

    const result = await runBatch(month, listed);

    expect(result).toEqual({ outcomes: { [user.id]: { outcome: 'skipped', reason: 'no_charges' } } });
    expect(receiver.requests).toHaveLength(0);
    expect(fake.messages).toHaveLength(0);
  });
});
