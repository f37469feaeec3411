/** How a stored subscription recurs and which of its reminders count, for advancing, upcoming and stats. */
import { reminderKeyOf, type ReminderKind } from '../temporal/contract';
import type { Subscription, User } from '../db/models';
import {
  compareDates,
  occurrenceAt,
  occurrenceIndexOnOrAfter,
  offsetFitsPeriod,
  reminderInstant,
  type EpochMs,
  type IsoDate,
  type Schedule,
} from '../time';
import { lastChargeDate } from './subscription-terms';

/** The owner's settings that decide dates and reminders. */
export type Owner = Pick<
  User,
  | 'id'
  | 'timezone'
  | 'reminderHour'
  | 'reminderOffsets'
  | 'remindersEnabled'
  | 'currency'
  | 'remindersChangedAt'
>;

/** Owner attributes to load with a subscription. */
export const OWNER_ATTRIBUTES = [
  'id',
  'timezone',
  'reminderHour',
  'reminderOffsets',
  'remindersEnabled',
  'currency',
  'remindersChangedAt',
] as const;

type Recurring = Pick<Subscription, 'anchorDate' | 'billingCycle' | 'billingInterval'>;

/** The recurrence of a subscription, counted from its anchor. */
export function scheduleOf(sub: Recurring): Schedule {
  return { anchor: sub.anchorDate, cycle: sub.billingCycle, interval: sub.billingInterval };
}

/**
 * The occurrences from `from` to `to`, both inclusive, like the time module's occurrencesBetween, but ending
 * quietly at the calendar's end: a plan anchored late in year 9999 has no occurrence after it (the time module
 * throws RangeError for year 10000, which would turn a valid request into a 500).
 */
export function occurrencesWithin(schedule: Schedule, from: IsoDate, to: IsoDate): IsoDate[] {
  const dates: IsoDate[] = [];
  for (let n = occurrenceIndexOnOrAfter(schedule, from); ; n++) {
    let date: IsoDate;
    try {
      date = occurrenceAt(schedule, n);
    } catch (err) {
      if (err instanceof RangeError) return dates;
      throw err;
    }
    if (compareDates(date, to) > 0) return dates;
    dates.push(date);
  }
}

/** The dates the subscription charges on from `from` to `to` (inclusive): none after its term's last day. */
export function chargeDatesWithin(
  sub: Recurring & { endsOn: IsoDate | null },
  from: IsoDate,
  to: IsoDate,
): IsoDate[] {
  return occurrencesWithin(scheduleOf(sub), from, lastChargeDate(sub, to));
}

/** `rem:{subscriptionId}:{dueDate}:{offset}` (`trial:` for a trial end): the reminder's business key (unique in reminder_logs). */
export function reminderKey(
  subscriptionId: number,
  dueDate: string,
  offsetDays: number,
  kind: ReminderKind = 'charge',
): string {
  return reminderKeyOf({ subscriptionId, dueDate, offsetDays, kind });
}

/**
 * The offsets that remind about a charge: the subscription's own (null inherits the owner's, [] means none),
 * minus those not shorter than the billing period, largest first. Empty when the owner turned reminders off.
 */
export function effectiveOffsets(
  sub: Pick<Subscription, 'reminderOffsets' | 'billingCycle' | 'billingInterval'>,
  owner: Pick<Owner, 'reminderOffsets' | 'remindersEnabled'>,
): number[] {
  if (!owner.remindersEnabled) return [];
  const offsets = sub.reminderOffsets ?? owner.reminderOffsets;
  return [...new Set(offsets)]
    .filter((d) => offsetFitsPeriod(d, sub.billingCycle, sub.billingInterval))
    .sort((a, b) => b - a);
}

/** Each reminder of one due date: offset and instant, largest offset (earliest instant) first. */
export function remindersOf(
  sub: Pick<Subscription, 'reminderOffsets' | 'billingCycle' | 'billingInterval'>,
  owner: Owner,
  dueDate: string,
): { offsetDays: number; at: EpochMs }[] {
  return effectiveOffsets(sub, owner).map((offsetDays) => ({
    offsetDays,
    at: reminderInstant(dueDate, offsetDays, owner.reminderHour, owner.timezone),
  }));
}

/**
 * Reminders due before this instant could never have been sent: before the subscription existed, or before the
 * last change of its dates, offsets or status, or of the owner's reminder settings (`reminders_changed_at`).
 */
export function remindersNotBefore(
  sub: Pick<Subscription, 'createdAt' | 'remindersChangedAt'>,
  owner: Pick<Owner, 'remindersChangedAt'>,
): EpochMs {
  const stamps = [sub.createdAt, sub.remindersChangedAt, owner.remindersChangedAt];
  return Math.max(...stamps.map((stamp) => stamp?.getTime() ?? 0));
}
