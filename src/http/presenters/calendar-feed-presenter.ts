import ical, { ICalAlarmType, ICalCalendarMethod } from 'ical-generator';
import type { FeedCharge, FeedContent } from '../../services/calendar-feed-service';
import { formatMoney } from '../../services/money';
import { addDays } from '../../time';

const plural = (n: number, unit: string) => (n === 1 ? unit : `${n} ${unit}s`);
const CYCLE_UNIT = { daily: 'day', weekly: 'week', monthly: 'month', yearly: 'year' } as const;

/** The UID of a charge: the same subscription and due date give the same event, whatever else changes. */
export function chargeUid(subscriptionId: number, dueDate: string, host: string): string {
  return `charge-${subscriptionId}-${dueDate}@${host}`;
}

/** The UID of a cancel-by deadline: stable for the same subscription and date. */
export function deadlineUid(subscriptionId: number, date: string, host: string): string {
  return `cancel-by-${subscriptionId}-${date}@${host}`;
}

const inDays = (n: number) => (n === 0 ? 'today' : `in ${n} day${n === 1 ? '' : 's'}`);

/** An all-day date as ical-generator writes it: UTC midnight (it formats all-day dates in UTC). */
const utcMidnight = (date: string) => new Date(`${date}T00:00:00Z`);

function description(charge: FeedCharge): string {
  const sub = charge.subscription;
  const lines = [
    `${formatMoney(sub.priceMinor)} ${sub.currency}, billed every ${plural(sub.billingInterval, CYCLE_UNIT[sub.billingCycle])}.`,
  ];
  if (sub.category) lines.push(`Category: ${sub.category}`);
  if (sub.url) lines.push(sub.url);
  if (sub.notes) lines.push('', sub.notes);
  return lines.join('\n');
}

/**
 * The feed as iCalendar text: one all-day event per upcoming charge, with a display alarm at each reminder's
 * exact instant (the owner's reminder hour in their zone, DST-correct, from the time module). DTSTAMP is the
 * last change of the subscription or its owner, so unchanged data gives byte-identical output (stable ETag).
 */
export function presentCalendarFeed(content: FeedContent, appBaseUrl: string): string {
  const host = new URL(appBaseUrl).hostname;
  const calendar = ical({
    name: `SubTracker: ${content.owner.username}`,
    prodId: { company: 'SubTracker', product: 'Charges', language: 'EN' },
    method: ICalCalendarMethod.PUBLISH,
  });
  for (const charge of content.charges) {
    const sub = charge.subscription;
    const stamp = Math.max(sub.updatedAt.getTime(), content.owner.updatedAt.getTime());
    const event = calendar.createEvent({
      id: chargeUid(sub.id, charge.dueDate, host),
      start: utcMidnight(charge.dueDate),
      end: utcMidnight(addDays(charge.dueDate, 1)),
      allDay: true,
      stamp: new Date(stamp),
      // The charge a trial converts into says so: the first payment after the free days.
      summary:
        sub.trialEndsOn === charge.dueDate
          ? `${sub.name}: free trial ends, then ${formatMoney(sub.priceMinor)} ${sub.currency}`
          : `${sub.name}: ${formatMoney(sub.priceMinor)} ${sub.currency}`,
      description: description(charge),
      url: sub.url ?? undefined,
      categories: sub.category ? [{ name: sub.category }] : [],
    });
    for (const reminder of charge.reminders) {
      event.createAlarm({
        type: ICalAlarmType.display,
        trigger: new Date(reminder.at),
        description: `${sub.name} is due ${inDays(reminder.offsetDays)}`,
      });
    }
  }
  for (const deadline of content.deadlines) {
    const sub = deadline.subscription;
    const stamp = Math.max(sub.updatedAt.getTime(), content.owner.updatedAt.getTime());
    const event = calendar.createEvent({
      id: deadlineUid(sub.id, deadline.date, host),
      start: utcMidnight(deadline.date),
      end: utcMidnight(addDays(deadline.date, 1)),
      allDay: true,
      stamp: new Date(stamp),
      summary: `Cancel ${sub.name} by today to avoid the next term`,
      description: description({ subscription: sub, dueDate: deadline.date, reminders: deadline.reminders }),
      url: sub.url ?? undefined,
      categories: sub.category ? [{ name: sub.category }] : [],
    });
    for (const reminder of deadline.reminders) {
      event.createAlarm({
        type: ICalAlarmType.display,
        trigger: new Date(reminder.at),
        description: `Cancel ${sub.name} ${inDays(reminder.offsetDays)} to avoid the next term`,
      });
    }
  }
  return calendar.toString();
}
