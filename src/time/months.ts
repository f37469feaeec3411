/** Calendar months written 'YYYY-MM' (the unit of the monthly report). */
import { daysInMonth, formatDate, parseDate, type IsoDate } from './dates';

/** A calendar month written 'YYYY-MM', e.g. '2025-02'. */
export type IsoMonth = string;

const MONTH_PATTERN = /^(\d{4})-(\d{2})$/;

/** Year and month (1-12) of a valid 'YYYY-MM' string, or undefined. */
function tryParseMonth(value: unknown): { year: number; month: number } | undefined {
  if (typeof value !== 'string') return undefined;
  const match = MONTH_PATTERN.exec(value);
  if (!match) return undefined;
  const year = Number(match[1]);
  const month = Number(match[2]);
  return year >= 1 && month >= 1 && month <= 12 ? { year, month } : undefined;
}

/** Year and month of a 'YYYY-MM' string; throws RangeError if it is not one. */
export function parseMonth(value: IsoMonth): { year: number; month: number } {
  const parts = tryParseMonth(value);
  if (!parts) throw new RangeError(`Not a calendar month (YYYY-MM): ${JSON.stringify(value)}`);
  return parts;
}

/** True if `value` is a month written 'YYYY-MM' (years 0001-9999, months 01-12). */
export function isValidMonth(value: unknown): value is IsoMonth {
  return tryParseMonth(value) !== undefined;
}

/** Months counted from year 0 (year * 12 + month - 1): consecutive months are consecutive integers. */
export function monthIndex(year: number, month: number): number {
  return year * 12 + month - 1;
}

/** Year and month (1-12) of a month index. */
export function fromMonthIndex(index: number): { year: number; month: number } {
  return { year: Math.floor(index / 12), month: (((index % 12) + 12) % 12) + 1 };
}

/** The month 'YYYY-MM' a date falls in. */
export function monthOf(date: IsoDate): IsoMonth {
  parseDate(date);
  return date.slice(0, 7);
}

/** The month `count` months after `month` (before it when negative). */
export function addMonths(month: IsoMonth, count: number): IsoMonth {
  if (!Number.isSafeInteger(count)) throw new RangeError(`Not a whole number of months: ${count}`);
  const { year, month: m } = parseMonth(month);
  return formatDate({ ...fromMonthIndex(monthIndex(year, m) + count), day: 1 }).slice(0, 7);
}

/** The month before `month`. */
export function previousMonth(month: IsoMonth): IsoMonth {
  return addMonths(month, -1);
}

/** The month after `month`. */
export function nextMonth(month: IsoMonth): IsoMonth {
  return addMonths(month, 1);
}

/** The first day of `month`. */
export function firstDayOfMonth(month: IsoMonth): IsoDate {
  return formatDate({ ...parseMonth(month), day: 1 });
}

/** The last day of `month` (28-31). */
export function lastDayOfMonth(month: IsoMonth): IsoDate {
  const { year, month: m } = parseMonth(month);
  return formatDate({ year, month: m, day: daysInMonth(year, m) });
}

/** First and last day of `month`, both inclusive. */
export function monthBounds(month: IsoMonth): { first: IsoDate; last: IsoDate } {
  return { first: firstDayOfMonth(month), last: lastDayOfMonth(month) };
}
