/**
 * The terms of a subscription beyond its recurrence, as pure rules: a free trial ends with the first charge,
 * on the trial's last date, and the reminders of that charge announce the trial's end instead of a payment.
 */
import type { ReminderKind } from '../temporal/contract';
import { ValidationError } from '../errors';
import { compareDates, type IsoDate } from '../time';

/** The fields the rules read. */
export interface Terms {
  /** The free trial ends on this date with the first charge; null without a trial. */
  trialEndsOn: IsoDate | null;
}

/** The kind of the reminders of the charge due on `dueDate`: the charge a trial converts into is 'trial_end'. */
export function reminderKindFor(terms: Terms, dueDate: IsoDate): ReminderKind {
  return terms.trialEndsOn === dueDate ? 'trial_end' : 'charge';
}

/** True while the owner's `today` is before the trial's end (nothing has been charged yet). */
export function inTrial(terms: Terms, today: IsoDate): boolean {
  return terms.trialEndsOn !== null && compareDates(today, terms.trialEndsOn) < 0;
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
