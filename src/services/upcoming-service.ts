/**
 * Upcoming charges: every occurrence of the owner's active subscriptions in [today, today + days] (owner's
 * zone), each with its reminders and their state from reminder_logs (pending when not logged yet), one page
 * at a time: 365 days of daily plans are hundreds of thousands of occurrences, so only the page's get their
 * reminders computed, logs read and JSON written.
 */
import { NotFoundError } from '../errors';
import { addDays, localDate, maxDate, type EpochMs, type IsoDate } from '../time';
import type { OwnerSubscriptionsStore, SubscriptionRow } from './owner-subscriptions-store';
import type { Paged } from './subscription-paging';
import { chargeDatesWithin, remindersOf, reminderKey } from './subscription-schedule';
import { reminderKindFor } from './subscription-terms';
import type { ReminderKind } from '../temporal/contract';

export type UpcomingReminderStatus = 'pending' | 'sent' | 'skipped' | 'failed';

export interface UpcomingCharge {
  subscription: SubscriptionRow;
  dueDate: IsoDate;
  reminders: { offsetDays: number; at: EpochMs; kind: ReminderKind; status: UpcomingReminderStatus }[];
}

export function createUpcomingService(deps: { store: OwnerSubscriptionsStore; now: () => EpochMs }) {
  /** Rows `offset` to `offset + limit` of the list sorted by due date, then name, then id, and its size. */
  async function upcoming(
    userId: number,
    days: number,
    page: { offset: number; limit: number },
  ): Promise<Paged<UpcomingCharge>> {
    // One round trip for the owner's settings and active subscriptions.
    const found = await deps.store.ownerWithActive(userId);
    if (!found) throw new NotFoundError('User not found.', 'user_not_found');
    const { owner, active } = found;
    const today = localDate(deps.now(), owner.timezone);
    const end = addDays(today, days);
    const all = active
      .flatMap((subscription) =>
        chargeDatesWithin(subscription, maxDate(today, subscription.nextPaymentDate), end).map((dueDate) => ({
          subscription,
          dueDate,
        })),
      )
      .sort(
        (a, b) =>
          a.dueDate.localeCompare(b.dueDate) ||
          a.subscription.nameKey.localeCompare(b.subscription.nameKey) ||
          a.subscription.id - b.subscription.id,
      );
    const charges = all.slice(page.offset, page.offset + page.limit);
    const logs = await deps.store.reminderStates(
      userId,
      [...new Set(charges.map((c) => c.subscription.id))],
      [...new Set(charges.map((c) => c.dueDate))],
    );
    const statusByKey = new Map(
      logs.map((l) => [reminderKey(l.subscriptionId, l.dueDate, l.offsetDays, l.kind), l.status]),
    );
    const items = charges.map(({ subscription, dueDate }) => {
      const kind = reminderKindFor(subscription, dueDate);
      return {
        subscription,
        dueDate,
        reminders: remindersOf(subscription, owner, dueDate).map(({ offsetDays, at }) => ({
          offsetDays,
          at,
          kind,
          status:
            statusByKey.get(reminderKey(subscription.id, dueDate, offsetDays, kind)) ?? ('pending' as const),
        })),
      };
    });
    return { items, total: all.length };
  }

  return { upcoming };
}

export type UpcomingService = ReturnType<typeof createUpcomingService>;
