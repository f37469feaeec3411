/** Moving a subscription's next payment date past the dates that are due. */
import type { IsoDate } from './dates';
import { occurrenceAt, occurrenceIndexOnOrAfter } from './recurrence';
import type { Schedule } from './schedule';

/** What advancing found: the occurrences to charge (one ledger row each) and the new next payment date. */
export interface AdvanceResult {
  /** Occurrences on or after the old next payment date and before today, oldest first. */
  due: IsoDate[];
  /** First occurrence on or after today (and on or after the old next payment date: it never moves back). */
  next: IsoDate;
}

/**
 * Every occurrence from `nextPaymentDate` up to but excluding `today` is due; a date due today stays next.
 * `today` is the owner's local date (see localDate).
 */
export function advance(schedule: Schedule, nextPaymentDate: IsoDate, today: IsoDate): AdvanceResult {
  const first = occurrenceIndexOnOrAfter(schedule, nextPaymentDate);
  const firstNotDue = Math.max(first, occurrenceIndexOnOrAfter(schedule, today));
  const due: IsoDate[] = [];
  for (let n = first; n < firstNotDue; n++) due.push(occurrenceAt(schedule, n));
  return { due, next: occurrenceAt(schedule, firstNotDue) };
}
