/**
 * The time module: calendar dates, recurrence, reminder instants and timezones, pure and clock-free.
 * Dates are ISO strings 'YYYY-MM-DD' (months 'YYYY-MM'); instants are epoch milliseconds (`EpochMs`).
 * Invalid input throws RangeError.
 */
export {
  addDays,
  compareDates,
  daysBetween,
  daysInMonth,
  isLeapYear,
  isValidDate,
  maxDate,
  parseDate,
  type CivilDate,
  type IsoDate,
} from './dates';
export {
  addMonths,
  firstDayOfMonth,
  isValidMonth,
  lastDayOfMonth,
  monthBounds,
  monthOf,
  nextMonth,
  previousMonth,
  type IsoMonth,
} from './months';
export { BILLING_CYCLES, isBillingCycle, type BillingCycle, type Schedule } from './schedule';
export {
  nextOccurrenceOnOrAfter,
  occurrenceAt,
  occurrenceIndexOnOrAfter,
  occurrencesBetween,
} from './recurrence';
export { advance, type AdvanceResult } from './advance';
export { minPeriodDays, monthlyEquivalentMinor, offsetFitsPeriod } from './billing-period';
export { reminderInstant } from './reminder-instant';
export {
  isValidZone,
  localDate,
  localMonth,
  localTimeToInstant,
  monthEndInstant,
  type EpochMs,
} from './zones';
export { easterSunday, isTargetBusinessDay, targetBusinessDays } from './target-days';
