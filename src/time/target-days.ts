/**
 * TARGET2 business days: the days on which the European Central Bank publishes its euro reference rates. It
 * publishes every weekday except New Year's Day, Good Friday, Easter Monday, 1 May, 25 and 26 December.
 */
import { addDays, formatDate, parseDate, toDayNumber, type IsoDate } from './dates';

/** Easter Sunday of a Gregorian year (the anonymous Gregorian algorithm, "Meeus/Jones/Butcher"). */
export function easterSunday(year: number): IsoDate {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return formatDate({ year, month, day });
}

/** True when the ECB publishes reference rates on `date`. */
export function isTargetBusinessDay(date: IsoDate): boolean {
  // Day 0 (1970-01-01) was a Thursday: (n + 4) % 7 is 0 on Sundays, 6 on Saturdays.
  const weekday = (((toDayNumber(date) + 4) % 7) + 7) % 7;
  if (weekday === 0 || weekday === 6) return false;
  const { year, month, day } = parseDate(date);
  if ((month === 1 && day === 1) || (month === 5 && day === 1)) return false;
  if (month === 12 && (day === 25 || day === 26)) return false;
  const easter = easterSunday(year);
  return date !== addDays(easter, -2) && date !== addDays(easter, 1);
}

/** The TARGET business days from `from` to `to`, both inclusive, in order. */
export function targetBusinessDays(from: IsoDate, to: IsoDate): IsoDate[] {
  const days: IsoDate[] = [];
  for (let date = from; date <= to; date = addDays(date, 1)) if (isTargetBusinessDay(date)) days.push(date);
  return days;
}
