/**
 * Which reminders to start, skip or send (docs/time.md), as pure functions of a subscription, its owner
 * and an instant: the reminder check plans with them, the reminder workflow's activity re-validates with them.
 */
import type {
  ReminderCandidate,
  ReminderOwner,
  ReminderSkip,
  ReminderSubscription,
} from '../../activities/ports';
import type { ReminderKind, ReminderSkipReason } from '../temporal/contract';
import {
  addDays,
  compareDates,
  localDate,
  localTimeToInstant,
  maxDate,
  nextOccurrenceOnOrAfter,
  reminderInstant,
  type EpochMs,
  type IsoDate,
} from '../time';
import { chargeDatesWithin, effectiveOffsets, reminderKey, scheduleOf } from './subscription-schedule';
import { lastChargeDate, reminderKindFor } from './subscription-terms';

const HOUR_MS = 3_600_000;

/** The check's horizon: reminders firing before the end of the next hour (the next run starts the later ones). */
export function candidateWindowEnd(nowMs: EpochMs): EpochMs {
  return Math.floor(nowMs / HOUR_MS) * HOUR_MS + 2 * HOUR_MS;
}

/** When a payment is due, so its reminders stop: the end of its due date in the owner's zone. */
export function paymentDueInstant(dueDate: string, zone: string): EpochMs {
  return localTimeToInstant(addDays(dueDate, 1), 0, zone);
}

export interface PlanInput {
  subscription: ReminderSubscription & { createdAtMs: EpochMs; remindersChangedAtMs: EpochMs | null };
  owner: ReminderOwner & { remindersChangedAtMs: EpochMs | null };
  /** Keys (`rem:...`) already logged or started. */
  handled: ReadonlySet<string>;
  nowMs: EpochMs;
  windowEndMs: EpochMs;
}

/**
 * One subscription's reminders for the check: those firing before the window's end, of payments not yet due,
 * neither logged nor started. Catch-up: of one due date's reminders whose instants already passed, only the
 * smallest offset is started (late) and only if no smaller offset was already handled; the others are
 * `superseded`. A passed instant before the subscription's creation or last change is `before_change`.
 */
export function planReminders(input: PlanInput): { starts: ReminderCandidate[]; skips: ReminderSkip[] } {
  const { subscription: sub, owner, handled, nowMs, windowEndMs } = input;
  const starts: ReminderCandidate[] = [];
  const skips: ReminderSkip[] = [];
  if (sub.status !== 'active' || !owner.emailVerified) return { starts, skips };
  const offsets = effectiveOffsets(sub, owner);
  if (offsets.length === 0) return { starts, skips };
  const zone = owner.timezone;
  const notBefore = Math.max(sub.createdAtMs, sub.remindersChangedAtMs ?? 0, owner.remindersChangedAtMs ?? 0);
  const today = localDate(nowMs, zone);
  const to = addDays(localDate(windowEndMs, zone), Math.max(...offsets));

  for (const { dueDate, kind } of remindedDates(sub, today, to)) {
    const passed: { offsetDays: number; instantMs: EpochMs }[] = [];
    // A charge's reminders carry no kind (their shape, and their batches' inputs, as before kinds existed).
    const base = { subscriptionId: sub.id, userId: sub.userId, ...(kind === 'charge' ? {} : { kind }) };
    let smallestHandled = Infinity;
    for (const offsetDays of offsets) {
      if (handled.has(reminderKey(sub.id, dueDate, offsetDays, kind))) {
        smallestHandled = Math.min(smallestHandled, offsetDays);
        continue;
      }
      const instantMs = reminderInstant(dueDate, offsetDays, owner.reminderHour, zone);
      if (instantMs >= windowEndMs) continue;
      if (instantMs > nowMs) starts.push({ ...base, dueDate, offsetDays, instantMs, catchUp: false });
      else if (instantMs < notBefore) skips.push({ ...base, dueDate, offsetDays, reason: 'before_change' });
      else passed.push({ offsetDays, instantMs });
    }
    passed.sort((a, b) => a.offsetDays - b.offsetDays);
    passed.forEach(({ offsetDays, instantMs }, i) => {
      if (i === 0 && offsetDays < smallestHandled) {
        starts.push({ ...base, dueDate, offsetDays, instantMs, catchUp: true });
      } else skips.push({ ...base, dueDate, offsetDays, reason: 'superseded' });
    });
  }
  return { starts, skips };
}

/**
 * The dates reminded about from the owner's `today` to `to`: each charge not yet due (none after a fixed term's
 * last day), of kind charge or trial_end, and the cancel-by deadline (it usually precedes the next charge).
 */
function remindedDates(sub: ReminderSubscription, today: IsoDate, to: IsoDate) {
  const dates: { dueDate: IsoDate; kind: ReminderKind }[] = chargeDatesWithin(
    sub,
    maxDate(sub.nextPaymentDate, today),
    to,
  ).map((dueDate) => ({ dueDate, kind: reminderKindFor(sub, dueDate) }));
  const { cancelBy } = sub;
  if (cancelBy && compareDates(cancelBy, today) >= 0 && compareDates(cancelBy, to) <= 0) {
    dates.push({ dueDate: cancelBy, kind: 'cancel_by' });
  }
  return dates;
}

/** Whether `dueDate` is still a date this subscription reminds about with a reminder of `kind`. */
function stillReminded(sub: ReminderSubscription, dueDate: IsoDate, kind: ReminderKind): boolean {
  if (kind === 'cancel_by') return sub.cancelBy === dueDate;
  const isOccurrence = nextOccurrenceOnOrAfter(scheduleOf(sub), dueDate) === dueDate;
  return (
    isOccurrence &&
    compareDates(dueDate, sub.nextPaymentDate) >= 0 &&
    lastChargeDate(sub, dueDate) === dueDate &&
    // A trial end moved away (or onto this date): this reminder's kind no longer fits the charge.
    kind === reminderKindFor(sub, dueDate)
  );
}

/** What the reminder workflow does now: skip (logging the reason unless there is nothing to log), or send. */
export type ReminderDecision =
  | { kind: 'skip'; reason: ReminderSkipReason; record: boolean }
  | { kind: 'send'; instantMs: EpochMs; deadlineMs: EpochMs };

/**
 * Re-validation at the reminder's instant: subscription and owner exist, the plan is active, the address
 * verified, reminders on, the offset still configured, the due date still an occurrence >= next_payment_date
 * and not yet due. `instantMs` is recomputed (the hour or zone may have changed: the caller sleeps again).
 */
export function decideReminder(
  context: { subscription: ReminderSubscription; owner: ReminderOwner } | null,
  reminder: { dueDate: string; offsetDays: number; kind?: ReminderKind },
  nowMs: EpochMs,
  logged: boolean,
): ReminderDecision {
  const skip = (reason: ReminderSkipReason, record = true): ReminderDecision => ({
    kind: 'skip',
    reason,
    record,
  });
  if (!context) return skip('deleted', false);
  if (logged) return skip('already_logged', false);
  const { subscription: sub, owner } = context;
  if (sub.status !== 'active') return skip(sub.status);
  if (!owner.emailVerified) return skip('unverified');
  if (!owner.remindersEnabled) return skip('disabled');
  const { dueDate, offsetDays } = reminder;
  if (!effectiveOffsets(sub, owner).includes(offsetDays)) return skip('offset_removed');
  if (!stillReminded(sub, dueDate, reminder.kind ?? 'charge')) return skip('rescheduled');
  const deadlineMs = paymentDueInstant(dueDate, owner.timezone);
  if (nowMs >= deadlineMs) return skip('missed');
  return {
    kind: 'send',
    instantMs: reminderInstant(dueDate, offsetDays, owner.reminderHour, owner.timezone),
    deadlineMs,
  };
}
