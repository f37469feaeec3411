/**
 * Occurrences of a schedule, always counted from the anchor (never from the previous occurrence), so a
 * monthly plan anchored on Jan 31 gives Feb 28, Mar 31, Apr 30 and never drifts to the 28th.
 * Lookups compute the occurrence index arithmetically: O(1) per call, whatever the distance from the anchor.
 */
import {
  compareDates,
  daysInMonth,
  formatDate,
  fromDayNumber,
  parseDate,
  toDayNumber,
  type IsoDate,
} from './dates';
import { fromMonthIndex, monthIndex } from './months';
import { assertSchedule, type Schedule } from './schedule';

/** Step between occurrences: a fixed number of days (daily, weekly) or of months (monthly, yearly). */
type Step = { unit: 'days'; size: number } | { unit: 'months'; size: number };

function stepOf({ cycle, interval }: Schedule): Step {
  switch (cycle) {
    case 'daily':
      return { unit: 'days', size: interval };
    case 'weekly':
      return { unit: 'days', size: 7 * interval };
    case 'monthly':
      return { unit: 'months', size: interval };
    case 'yearly':
      return { unit: 'months', size: 12 * interval };
  }
}

/** Occurrence n of a validated schedule. */
function occurrence(schedule: Schedule, step: Step, n: number): IsoDate {
  if (step.unit === 'days') return fromDayNumber(toDayNumber(schedule.anchor) + n * step.size);
  const anchor = parseDate(schedule.anchor);
  const { year, month } = fromMonthIndex(monthIndex(anchor.year, anchor.month) + n * step.size);
  return formatDate({ year, month, day: Math.min(anchor.day, daysInMonth(year, month)) });
}

/** The n-th occurrence (n >= 0; 0 is the anchor); month-based cycles clamp the anchor day to the month's length. */
export function occurrenceAt(schedule: Schedule, n: number): IsoDate {
  assertSchedule(schedule);
  if (!Number.isSafeInteger(n) || n < 0)
    throw new RangeError(`Occurrence index must be a whole number >= 0: ${n}`);
  return occurrence(schedule, stepOf(schedule), n);
}

/** Index of the first occurrence on or after `date` (0 when `date` is on or before the anchor). */
export function occurrenceIndexOnOrAfter(schedule: Schedule, date: IsoDate): number {
  assertSchedule(schedule);
  if (compareDates(date, schedule.anchor) <= 0) return 0;
  const step = stepOf(schedule);
  if (step.unit === 'days') return Math.ceil((toDayNumber(date) - toDayNumber(schedule.anchor)) / step.size);
  // Occurrence n falls in month anchorMonth + n * size: the last one starting in or before date's month is
  // either on/after date (then it is the answer) or before it (then the next one, in a later month, is).
  const anchor = parseDate(schedule.anchor);
  const target = parseDate(date);
  const monthsAfter = monthIndex(target.year, target.month) - monthIndex(anchor.year, anchor.month);
  const n = Math.floor(monthsAfter / step.size);
  return compareDates(occurrence(schedule, step, n), date) >= 0 ? n : n + 1;
}

/** The first occurrence on or after `date`; the anchor when `date` is on or before it. */
export function nextOccurrenceOnOrAfter(schedule: Schedule, date: IsoDate): IsoDate {
  const n = occurrenceIndexOnOrAfter(schedule, date);
  return occurrence(schedule, stepOf(schedule), n);
}

/** Every occurrence from `from` to `to`, both inclusive, in order; none before the anchor. */
export function occurrencesBetween(schedule: Schedule, from: IsoDate, to: IsoDate): IsoDate[] {
  const first = occurrenceIndexOnOrAfter(schedule, from);
  const step = stepOf(schedule);
  const result: IsoDate[] = [];
  for (let n = first; ; n++) {
    const date = occurrence(schedule, step, n);
    if (compareDates(date, to) > 0) return result;
    result.push(date);
  }
}
