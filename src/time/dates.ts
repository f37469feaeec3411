/**
 * ISO calendar dates ('YYYY-MM-DD' strings) and their arithmetic.
 *
 * A date is a day on the proleptic Gregorian calendar with no time and no zone. Arithmetic runs on day
 * numbers (days since 1970-01-01) with integer formulas rather than Luxon objects: recurrence is computed
 * for every subscription on every run, and these are a few integer operations per call.
 */

/** A calendar date written 'YYYY-MM-DD', e.g. '2025-01-31'. */
export type IsoDate = string;

/** A calendar date split into its parts; month and day are 1-based. */
export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const MIN_YEAR = 1;
const MAX_YEAR = 9999;
const EPOCH_YEAR = 1970;
/** Days from 0000-03-01 to 1970-01-01 in the algorithm below. */
const EPOCH_SHIFT = 719_468;
const DAYS_PER_ERA = 146_097;

/** True for Gregorian leap years. */
export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Number of days in the given month (1-12) of the given year. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Splits a date into parts, or returns undefined if it is not a real date written 'YYYY-MM-DD'. */
function tryParse(value: unknown): CivilDate | undefined {
  if (typeof value !== 'string') return undefined;
  const match = DATE_PATTERN.exec(value);
  if (!match) return undefined;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (year < MIN_YEAR || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month))
    return undefined;
  return { year, month, day };
}

/** True if `value` is a real calendar date written 'YYYY-MM-DD' (years 0001-9999, or 1970-9999 with `from1970`). */
export function isValidDate(value: unknown, options: { from1970?: boolean } = {}): value is IsoDate {
  const parts = tryParse(value);
  return parts !== undefined && (!options.from1970 || parts.year >= EPOCH_YEAR);
}

/** Splits a date into its parts; throws RangeError if it is not a valid 'YYYY-MM-DD' date. */
export function parseDate(value: IsoDate): CivilDate {
  const parts = tryParse(value);
  if (!parts) throw new RangeError(`Not a calendar date (YYYY-MM-DD): ${JSON.stringify(value)}`);
  return parts;
}

/** Writes parts as 'YYYY-MM-DD'; throws RangeError outside years 0001-9999 or for a day the month lacks. */
export function formatDate({ year, month, day }: CivilDate): IsoDate {
  if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR) {
    throw new RangeError(`Year out of range 0001-9999: ${year}`);
  }
  if (!Number.isInteger(month) || month < 1 || month > 12 || !Number.isInteger(day) || day < 1) {
    throw new RangeError(`Not a calendar date: ${year}-${month}-${day}`);
  }
  if (day > daysInMonth(year, month)) throw new RangeError(`Not a calendar date: ${year}-${month}-${day}`);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Days since 1970-01-01 (negative before it); H. Hinnant's days_from_civil. */
export function toDayNumber(date: IsoDate): number {
  const { year, month, day } = parseDate(date);
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * DAYS_PER_ERA + dayOfEra - EPOCH_SHIFT;
}

/** The date `dayNumber` days after 1970-01-01; inverse of toDayNumber (H. Hinnant's civil_from_days). */
export function fromDayNumber(dayNumber: number): IsoDate {
  if (!Number.isSafeInteger(dayNumber)) throw new RangeError(`Not a whole day number: ${dayNumber}`);
  const z = dayNumber + EPOCH_SHIFT;
  const era = Math.floor(z / DAYS_PER_ERA);
  const dayOfEra = z - era * DAYS_PER_ERA;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) /
      365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return formatDate({ year, month, day });
}

/** The date `days` days after `date` (before it when negative). */
export function addDays(date: IsoDate, days: number): IsoDate {
  if (!Number.isSafeInteger(days)) throw new RangeError(`Not a whole number of days: ${days}`);
  return fromDayNumber(toDayNumber(date) + days);
}

/** Number of days from `from` to `to`: positive when `to` is later. */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return toDayNumber(to) - toDayNumber(from);
}

/** -1, 0 or 1 as `a` is before, equal to or after `b`; valid ISO dates sort as strings. */
export function compareDates(a: IsoDate, b: IsoDate): -1 | 0 | 1 {
  parseDate(a);
  parseDate(b);
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The later of two dates. */
export function maxDate(a: IsoDate, b: IsoDate): IsoDate {
  return compareDates(a, b) >= 0 ? a : b;
}
