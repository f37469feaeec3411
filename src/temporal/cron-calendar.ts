import { DAYS_OF_WEEK, MONTHS, type CalendarSpecDescription } from '@temporalio/client';

/**
 * Compares a cron expression with the calendars the server compiled it into (describe never returns the
 * cron string). Both sides are expanded to the values each field matches, so equal schedules compare equal
 * however they are written.
 */

/** Matched values per field, e.g. `{ minute: '0,30', year: '*' }`. */
export type CalendarValues = Record<
  'second' | 'minute' | 'hour' | 'dayOfMonth' | 'month' | 'dayOfWeek' | 'year',
  string
>;

const MONTH_NAMES = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

/** The calendar a five-field cron expression matches, or undefined for syntax this parser does not know. */
export function cronToValues(cron: string): CalendarValues | undefined {
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 5) return undefined;
  const [minute, hour, dayOfMonth, month, dayOfWeek] = [
    expandCron(fields[0], 0, 59),
    expandCron(fields[1], 0, 23),
    expandCron(fields[2], 1, 31),
    expandCron(fields[3], 1, 12, MONTH_NAMES, 1),
    expandCron(fields[4], 0, 7, DAY_NAMES, 0)?.map((d) => d % 7),
  ];
  if (!minute || !hour || !dayOfMonth || !month || !dayOfWeek) return undefined;
  const list = (values: number[]) => [...new Set(values)].sort((a, b) => a - b).join(',');
  return {
    second: '0',
    minute: list(minute),
    hour: list(hour),
    dayOfMonth: list(dayOfMonth),
    month: list(month),
    dayOfWeek: list(dayOfWeek),
    year: '*',
  };
}

/** The values a described (server-compiled) calendar matches. */
export function calendarToValues(c: CalendarSpecDescription): CalendarValues {
  type Ranges = { start: number | string; end: number | string; step: number }[];
  const list = (ranges: Ranges, toNumber: (v: number | string) => number = Number) =>
    ranges
      .flatMap(({ start, end, step }) => range(toNumber(start), toNumber(end), step))
      .sort((a, b) => a - b)
      .filter((v, i, all) => all.indexOf(v) === i)
      .join(',');
  return {
    second: list(c.second),
    minute: list(c.minute),
    hour: list(c.hour),
    dayOfMonth: list(c.dayOfMonth),
    month: list(c.month, (m) => MONTHS.indexOf(m as (typeof MONTHS)[number]) + 1),
    dayOfWeek: list(c.dayOfWeek, (d) => DAYS_OF_WEEK.indexOf(d as (typeof DAYS_OF_WEEK)[number])),
    year: c.year.length ? list(c.year) : '*',
  };
}

function expandCron(
  field: string,
  min: number,
  max: number,
  names: string[] = [],
  base = 0,
): number[] | undefined {
  const toValue = (token: string) => {
    const named = names.indexOf(token.toUpperCase());
    const value = named >= 0 ? named + base : /^\d+$/.test(token) ? Number(token) : NaN;
    return value >= min && value <= max ? value : undefined;
  };
  const values: number[] = [];
  for (const part of field.split(',')) {
    const m = /^(?:(\*)|(\w+)(?:-(\w+))?)(?:\/(\d+))?$/.exec(part);
    if (!m) return undefined;
    const step = m[4] === undefined ? 1 : Number(m[4]);
    const start = m[1] ? min : toValue(m[2]);
    const end = m[1] || (m[4] !== undefined && m[3] === undefined) ? max : m[3] ? toValue(m[3]) : start;
    if (start === undefined || end === undefined || step < 1 || end < start) return undefined;
    values.push(...range(start, end, step));
  }
  return values;
}

function range(start: number, end: number, step: number): number[] {
  const out: number[] = [];
  for (let v = start; v <= Math.max(start, end); v += Math.max(1, step)) out.push(v);
  return out;
}
