/**
 * The terms of a subscription beyond its recurrence, as pure rules: a free trial ends with the first charge,
 * on the trial's last date, and the reminders of that charge announce the trial's end instead of a payment.
 */
import type { ReminderKind } from '../temporal/contract';
import { ValidationError } from '../errors';
import { addDays, compareDates, type IsoDate } from '../time';

/** The fields the rules read. */
export interface Terms {
  /** The free trial ends on this date with the first charge; null without a trial. */
  trialEndsOn: IsoDate | null;
}

/** A fixed term: nothing is charged after its last day. */
export interface Term {
  /** Last day of the term; null runs until cancelled. */
  endsOn: IsoDate | null;
}

/** How far ahead a cancel-by deadline may lie (an annual plan's notice period). */
export const MAX_CANCEL_BY_DAYS = 365;

/** The last date a charge may fall on within [.., to]: `to`, or the term's last day if that is earlier. */
export function lastChargeDate(term: Term, to: IsoDate): IsoDate {
  const { endsOn } = term;
  return endsOn && compareDates(endsOn, to) < 0 ? endsOn : to;
}

/** True once the owner's `today` is after the term's last day: the subscription has ended. */
export function termEnded(term: Term, today: IsoDate): boolean {
  return !!term.endsOn && compareDates(today, term.endsOn) > 0;
}

/** 422 unless the cancel-by deadline lies at most MAX_CANCEL_BY_DAYS after the owner's today. */
export function assertCancelByInReach(cancelBy: IsoDate | null | undefined, today: IsoDate): void {
  if (!cancelBy) return;
  const latest = addDays(today, MAX_CANCEL_BY_DAYS);
  if (compareDates(cancelBy, latest) <= 0) return;
  throw new ValidationError(
    { json: { cancel_by: [`must be on or before ${latest} (at most ${MAX_CANCEL_BY_DAYS} days ahead)`] } },
    `cancel_by may be at most ${MAX_CANCEL_BY_DAYS} days ahead.`,
  );
}

/** The kind of the reminders of the charge due on `dueDate`: the charge a trial converts into is 'trial_end'. */
export function reminderKindFor(terms: Terms, dueDate: IsoDate): Exclude<ReminderKind, 'cancel_by'> {
  return terms.trialEndsOn === dueDate ? 'trial_end' : 'charge';
}

/** True while the owner's `today` is before the trial's end (nothing has been charged yet). */
export function inTrial(terms: Terms, today: IsoDate): boolean {
  return !!terms.trialEndsOn && compareDates(today, terms.trialEndsOn) < 0;
}

/** The date fields a change may carry. */
interface DateChanges {
  trialEndsOn?: IsoDate | null;
  nextPaymentDate?: IsoDate;
}

/**
 * A trial's first charge falls on its last day, anchored there. So setting trial_ends_on sets the next payment
 * date (422 if a different one is sent with it), and moving the next payment date while still in the trial
 * moves the trial's end with it. `current` is the stored subscription (null on create); `today` the owner's.
 */
export function withTrialDates<C extends DateChanges>(changes: C, current: Terms | null, today: IsoDate): C {
  const { trialEndsOn, nextPaymentDate } = changes;
  if (trialEndsOn) {
    if (nextPaymentDate !== undefined && nextPaymentDate !== trialEndsOn) {
      throw new ValidationError(
        {
          json: {
            next_payment_date: ['must equal trial_ends_on: the first charge falls on the day the trial ends'],
          },
        },
        'A trial ends with its first charge: next_payment_date must equal trial_ends_on.',
      );
    }
    return { ...changes, nextPaymentDate: trialEndsOn };
  }
  if (trialEndsOn === undefined && nextPaymentDate !== undefined && current && inTrial(current, today)) {
    return { ...changes, trialEndsOn: nextPaymentDate };
  }
  if (changes.nextPaymentDate === undefined && !current) {
    throw new ValidationError(
      { json: { next_payment_date: ['is required unless trial_ends_on is set'] } },
      'next_payment_date or trial_ends_on is required.',
    );
  }
  return changes;
}
