/**
 * Upcoming charges: every occurrence of the owner's active subscriptions in [today, today + days] (owner's
 * zone), each with its reminders and their state from reminder_logs (pending when not logged yet).
 */
import type { Database } from '../db/database';
import type { Subscription } from '../db/models';
import { addDays, localDate, maxDate, type EpochMs, type IsoDate } from '../time';
import type { ReminderLogService } from './reminder-log-service';
import type { SubscriptionService } from './subscription-service';
import { occurrencesWithin, remindersOf, reminderKey, scheduleOf } from './subscription-schedule';

export type UpcomingReminderStatus = 'pending' | 'sent' | 'skipped' | 'failed';

export interface UpcomingCharge {
  subscription: Subscription;
  dueDate: IsoDate;
  reminders: { offsetDays: number; at: EpochMs; status: UpcomingReminderStatus }[];
}

export function createUpcomingService(deps: {
  db: Database;
  now: () => EpochMs;
  subscriptions: SubscriptionService;
  reminderLogs: ReminderLogService;
}) {
  const { Subscription } = deps.db.models;

  /** Sorted by due date, then name, then id. */
  async function upcoming(userId: number, days: number): Promise<UpcomingCharge[]> {
    const owner = await deps.subscriptions.ownerOf(userId);
    const today = localDate(deps.now(), owner.timezone);
    const end = addDays(today, days);
    const subs = await Subscription.findAll({ where: { userId, status: 'active' } });
    const charges = subs.flatMap((subscription) =>
      occurrencesWithin(scheduleOf(subscription), maxDate(today, subscription.nextPaymentDate), end).map(
        (dueDate) => ({ subscription, dueDate }),
      ),
    );
    const logs = await deps.reminderLogs.ofDueDates(
      userId,
      subs.map((s) => s.id),
      [...new Set(charges.map((c) => c.dueDate))],
    );
    const statusByKey = new Map(
      logs.map((l) => [reminderKey(l.subscriptionId, l.dueDate, l.offsetDays), l.status]),
    );
    return charges
      .map(({ subscription, dueDate }) => ({
        subscription,
        dueDate,
        reminders: remindersOf(subscription, owner, dueDate).map(({ offsetDays, at }) => ({
          offsetDays,
          at,
          status: statusByKey.get(reminderKey(subscription.id, dueDate, offsetDays)) ?? ('pending' as const),
        })),
      }))
      .sort(
        (a, b) =>
          a.dueDate.localeCompare(b.dueDate) ||
          a.subscription.nameKey.localeCompare(b.subscription.nameKey) ||
          a.subscription.id - b.subscription.id,
      );
  }

  return { upcoming };
}

export type UpcomingService = ReturnType<typeof createUpcomingService>;
