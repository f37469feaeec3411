import { MockActivityEnvironment } from '@temporalio/testing';
import { createReminderActivities, type ReminderPreparation } from '../../activities/reminder-activities';
import { reminderInstant } from '../../src/time';
import {
  createMemoryReminderStore,
  reminderLinks,
  reminderOwner,
  reminderSubscription,
} from '../helpers/reminder-fakes';
import { createRecordingMailer } from '../helpers/temporal-fakes';

describe('reminder activities (MockActivityEnvironment, in-memory ports)', () => {
  const memory = createMemoryReminderStore();
  const mail = createRecordingMailer();
  const pages: object[] = [];
  const activities = createReminderActivities({
    reminders: memory.store,
    advancer: {
      advancePage: async (options) => {
        pages.push(options);
        return { advanced: 3, charges: 4, nextAfterId: 250 };
      },
    },
    mailer: mail.mailer,
    links: reminderLinks,
  });
  const env = new MockActivityEnvironment();
  memory.owners.set(1, reminderOwner(1, { timezone: 'Asia/Tokyo', reminderOffsets: [3] }));
  memory.subscriptions.set(
    1,
    reminderSubscription(1, 1, '2027-05-20', { name: 'Disney+', priceMinor: 99000, currency: 'JPY' }),
  );
  const reminder = { subscriptionId: 1, dueDate: '2027-05-20', offsetDays: 3, instantMs: 0 };
  const instant = reminderInstant('2027-05-20', 3, 9, 'Asia/Tokyo');

  it('prepares the email at the instant: days left from the owner today, key, headers', async () => {
    const prepared: ReminderPreparation = await env.run(activities.prepareReminder, {
      ...reminder,
      nowMs: instant,
    });
    expect(prepared).toMatchObject({ kind: 'send', instantMs: instant, userId: 1 });
    if (prepared.kind !== 'send') throw new Error('expected a send');
    expect(prepared.message).toMatchObject({
      to: 'owner1@example.com',
      idempotencyKey: 'rem:1:2027-05-20:3',
      tags: ['reminder'],
      headers: { 'List-Unsubscribe': `<${reminderLinks.unsubscribe(1)}>` },
    });
    expect(prepared.message.subject).toBe('Disney+: ¥990.00 due in 3 days');
    expect(prepared.message.text).toContain('Thursday, 20 May 2027 (Asia/Tokyo)');
  });

  it('skips without a row once the reminder is logged, and records skips as skipped logs', async () => {
    await env.run(activities.recordReminderSkips, [
      { ...reminder, userId: 1, reason: 'superseded' as const },
    ]);
    expect(memory.logs.get('rem:1:2027-05-20:3')).toMatchObject({ status: 'skipped', reason: 'superseded' });
    expect(await env.run(activities.prepareReminder, { ...reminder, nowMs: instant })).toEqual({
      kind: 'skip',
      reason: 'already_logged',
      record: false,
      userId: 1,
    });
  });

  it('pages the advance service with the check clock and reports where the next page starts', async () => {
    const page = await env.run(activities.advanceDuePayments, { afterId: 0, limit: 250, nowMs: 42 });
    expect(pages).toEqual([{ now: 42, afterId: 0, pageSize: 250 }]);
    expect(page).toEqual({ cursor: 250, more: true, advanced: 3, charges: 4 });
  });
});
