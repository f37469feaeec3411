import { MockActivityEnvironment } from '@temporalio/testing';
import { createReminderActivities } from '../../activities/reminder-activities';
import { MailError, type Mailer } from '../../src/mail/mailer';
import type { BatchDelivery } from '../../src/temporal/contract';
import { reminderInstant } from '../../src/time';
import {
  createMemoryReminderStore,
  reminderLinks,
  reminderOwner,
  reminderSubscription,
  testSendSlots,
} from '../helpers/reminder-fakes';
import { createRecordingMailer } from '../helpers/temporal-fakes';

describe('reminder activities (MockActivityEnvironment, in-memory ports)', () => {
  const memory = createMemoryReminderStore();
  const mail = createRecordingMailer();
  /** What the next sends throw, in order; then the recording mailer. */
  const failures: Error[] = [];
  const mailer: Mailer = {
    send: async (message) => {
      const failure = failures.shift();
      if (failure) throw failure;
      return mail.mailer.send(message);
    },
  };
  const pages: object[] = [];
  const activities = createReminderActivities({
    reminders: memory.store,
    advancer: {
      advancePage: async (options) => {
        pages.push(options);
        return { advanced: 3, charges: 4, nextAfterId: 250 };
      },
    },
    mailer,
    links: reminderLinks,
    sendSlots: testSendSlots,
  });
  const instant = reminderInstant('2027-05-20', 3, 9, 'Asia/Tokyo');
  /** An activity run at `nowMs` (server time), inside workflow `batch-1`. */
  const at = (nowMs: number) =>
    new MockActivityEnvironment({
      currentAttemptScheduledTimestampMs: nowMs,
      workflowExecution: { workflowId: 'batch-1', runId: 'run-1' },
    });
  const reminderOf = (id: number) => ({
    subscriptionId: id,
    dueDate: '2027-05-20',
    offsetDays: 3,
    instantMs: instant,
  });

  beforeEach(() => {
    mail.sent.length = 0;
    failures.length = 0;
  });
  for (const id of [1, 2, 3, 4, 5]) {
    memory.owners.set(id, reminderOwner(id, { timezone: 'Asia/Tokyo', reminderOffsets: [3] }));
    memory.subscriptions.set(
      id,
      reminderSubscription(id, id, '2027-05-20', { name: 'Disney+', priceMinor: 99000, currency: 'JPY' }),
    );
  }

  it('delivers at the instant: days left from the owner today, key, headers, and a sent row naming the batch', async () => {
    const delivery: BatchDelivery = await at(instant).run(activities.deliverReminders, {
      reminders: [reminderOf(1)],
      batchStartMs: instant - 3_600_000,
    });

    expect(delivery).toEqual({
      done: {
        'rem:1:2027-05-20:3': { outcome: 'sent', providerMessageId: 'fake-1', attempts: 1, late: false },
      },
      again: [],
    });
    expect(mail.sent[0]).toMatchObject({
      to: 'owner1@example.com',
      idempotencyKey: 'rem:1:2027-05-20:3',
      tags: ['reminder'],
      headers: { 'List-Unsubscribe': `<${reminderLinks.unsubscribe(1)}>` },
    });
    expect(mail.sent[0].subject).toBe('Disney+: ¥990.00 due in 3 days');
    expect(mail.sent[0].text).toContain('Thursday, 20 May 2027 (Asia/Tokyo)');
    expect(memory.logs.get('rem:1:2027-05-20:3')).toMatchObject({
      status: 'sent',
      attempts: 1,
      workflowId: 'batch-1',
      workflowRunId: 'run-1',
    });
  });

  it('records the check skips as skipped rows, and a batch then skips that reminder without a send', async () => {
    await at(instant - 60_000).run(activities.recordReminderSkips, [
      { ...reminderOf(2), userId: 2, reason: 'superseded' as const },
    ]);
    expect(memory.logs.get('rem:2:2027-05-20:3')).toMatchObject({
      status: 'skipped',
      reason: 'superseded',
      workflowId: 'batch-1',
    });
    const delivery: BatchDelivery = await at(instant).run(activities.deliverReminders, {
      reminders: [reminderOf(2)],
      batchStartMs: instant - 3_600_000,
    });
    expect(delivery.done).toEqual({ 'rem:2:2027-05-20:3': { outcome: 'skipped', reason: 'already_logged' } });
    expect(mail.sent).toHaveLength(0);
  });

  it('returns a reminder whose instant moved later, to wait for it; nothing sent, nothing logged', async () => {
    const owner = memory.owners.get(3)!;
    memory.owners.set(3, { ...owner, reminderHour: 11 });
    const delivery: BatchDelivery = await at(instant).run(activities.deliverReminders, {
      reminders: [reminderOf(3)],
      batchStartMs: instant - 3_600_000,
    });
    const later = reminderInstant('2027-05-20', 3, 11, 'Asia/Tokyo');
    expect(delivery).toEqual({
      done: {},
      again: [{ ...reminderOf(3), instantMs: later, notBeforeMs: later }],
    });
    expect(mail.sent).toHaveLength(0);
    expect(memory.logs.has('rem:3:2027-05-20:3')).toBe(false);
  });

  it('returns a transient failure with its attempt and the backoff; logs a permanent one failed at once', async () => {
    failures.push(
      new MailError('Mailgun 503', true, 503),
      new MailError('Mailgun 400: bad address', false, 400),
    );
    const delivery: BatchDelivery = await at(instant).run(activities.deliverReminders, {
      reminders: [reminderOf(4), reminderOf(5)],
      batchStartMs: instant - 3_600_000,
    });

    expect(delivery.again).toEqual([
      {
        ...reminderOf(4),
        attempts: 1,
        firstAttemptMs: expect.any(Number),
        lastError: 'Mailgun 503',
        notBeforeMs: expect.any(Number),
      },
    ]);
    const [retry] = delivery.again;
    expect(retry.notBeforeMs! - retry.firstAttemptMs!).toBeGreaterThanOrEqual(5_000);
    expect(retry.notBeforeMs! - retry.firstAttemptMs!).toBeLessThan(6_000);
    expect(delivery.done).toEqual({
      'rem:5:2027-05-20:3': { outcome: 'failed', attempts: 1, error: 'Mailgun 400: bad address' },
    });
    expect(memory.logs.get('rem:5:2027-05-20:3')).toMatchObject({ status: 'failed', attempts: 1 });
    expect(memory.logs.has('rem:4:2027-05-20:3')).toBe(false);
  });

  it("a 429 pauses the worker's other batches too, until its Retry-After", async () => {
    // A worker of its own (the pause is the worker's), with its own rows.
    const rows = createMemoryReminderStore();
    for (const id of [11, 12]) {
      rows.owners.set(id, reminderOwner(id, { timezone: 'Asia/Tokyo', reminderOffsets: [3] }));
      rows.subscriptions.set(id, reminderSubscription(id, id, '2027-05-20'));
    }
    const worker = createReminderActivities({
      reminders: rows.store,
      advancer: { advancePage: async () => ({ advanced: 0, charges: 0, nextAfterId: 0 }) },
      mailer,
      links: reminderLinks,
      sendSlots: testSendSlots,
    });
    const batch = (id: number, nowMs: number): Promise<BatchDelivery> =>
      new MockActivityEnvironment({
        currentAttemptScheduledTimestampMs: nowMs,
        workflowExecution: { workflowId: `batch-${id}`, runId: 'run-1' },
      }).run(worker.deliverReminders, { reminders: [reminderOf(id)], batchStartMs: instant - 3_600_000 });

    failures.push(new MailError('Mailgun 429', true, 429, 120));
    const first = await batch(11, instant);
    expect(first.again).toEqual([expect.objectContaining({ subscriptionId: 11, attempts: 1 })]);
    const pausedUntil = first.again[0]!.notBeforeMs!;
    expect(pausedUntil - instant).toBeGreaterThanOrEqual(120_000);

    // Another batch of the same worker, a minute later: nothing sent, back to wait for the same time.
    const second = await batch(12, instant + 60_000);
    expect(second.again).toEqual([{ ...reminderOf(12), notBeforeMs: pausedUntil }]);
    expect(mail.sent).toEqual([]);

    // After the pause it sends.
    const third = await batch(12, pausedUntil);
    expect(third.done['rem:12:2027-05-20:3']).toMatchObject({ outcome: 'sent' });
    expect(mail.sent).toHaveLength(1);
  });

  it('pages the advance service with the check clock and reports where the next page starts', async () => {
    const page = await at(0).run(activities.advanceDuePayments, { afterId: 0, limit: 250, nowMs: 42 });
    expect(pages).toEqual([{ now: 42, afterId: 0, pageSize: 250 }]);
    expect(page).toEqual({ cursor: 250, more: true, advanced: 3, charges: 4 });
  });
});
