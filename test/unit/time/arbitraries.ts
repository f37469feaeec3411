/** fast-check generators for the time module's property tests; dates come from Luxon, not the module under test. */
import fc from 'fast-check';
import { DateTime } from 'luxon';
import type { BillingCycle, Schedule } from '../../../src/time';

const CYCLES: BillingCycle[] = ['daily', 'weekly', 'monthly', 'yearly'];

/** Any date from Jan 1 of `fromYear` to Dec 31 of `toYear`. */
export function isoDate(fromYear = 2000, toYear = 2040): fc.Arbitrary<string> {
  const start = DateTime.utc(fromYear, 1, 1);
  const days = DateTime.utc(toYear, 12, 31).diff(start, 'days').days;
  return fc.integer({ min: 0, max: days }).map((n) => start.plus({ days: n }).toISODate()!);
}

/** Dates on the 28th-31st, where month clamping happens. */
export function lateInMonthDate(fromYear = 2000, toYear = 2040): fc.Arbitrary<string> {
  return fc
    .record({
      year: fc.integer({ min: fromYear, max: toYear }),
      month: fc.integer({ min: 1, max: 12 }),
      fromEnd: fc.nat(3),
    })
    .map(({ year, month, fromEnd }) => {
      const last = DateTime.utc(year, month, 1).endOf('month');
      return last.minus({ days: fromEnd }).toISODate()!;
    });
}

/** An anchor, biased towards the ends of months and Feb 29. */
export function anchorDate(): fc.Arbitrary<string> {
  return fc.oneof(isoDate(), lateInMonthDate(), fc.constantFrom('2024-02-29', '2000-02-29', '2023-01-31'));
}

/** Any schedule with an interval of 1-12. */
export function schedule(cycles: BillingCycle[] = CYCLES): fc.Arbitrary<Schedule> {
  return fc.record({
    anchor: anchorDate(),
    cycle: fc.constantFrom(...cycles),
    interval: fc.integer({ min: 1, max: 12 }),
  });
}

/** Timezones with DST at odd hours, half-hour shifts, midnight transitions and none at all. */
export const ZONES = [
  'UTC',
  'Europe/Berlin',
  'Europe/London',
  'America/New_York',
  'America/Los_Angeles',
  'America/Sao_Paulo',
  'America/Santiago',
  'America/Havana',
  'Asia/Beirut',
  'Asia/Tehran',
  'Asia/Kolkata',
  'Australia/Lord_Howe',
  'Pacific/Auckland',
  'Pacific/Chatham',
  'Pacific/Kiritimati',
];

/** Local dates on which a zone's clocks jump forward or back, some at midnight or at :45. */
const DST_DAYS: [zone: string, date: string][] = [
  ['Europe/Berlin', '2025-03-30'],
  ['Europe/Berlin', '2025-10-26'],
  ['Europe/London', '2025-03-30'],
  ['Europe/London', '2025-10-26'],
  ['America/New_York', '2025-03-09'],
  ['America/New_York', '2025-11-02'],
  ['America/Sao_Paulo', '2018-02-17'],
  ['America/Sao_Paulo', '2018-11-04'],
  ['America/Santiago', '2025-04-05'],
  ['America/Santiago', '2025-09-07'],
  ['America/Havana', '2025-03-09'],
  ['America/Havana', '2025-11-02'],
  ['Asia/Beirut', '2025-03-30'],
  ['Asia/Beirut', '2025-10-25'],
  ['Asia/Tehran', '2021-03-22'],
  ['Asia/Tehran', '2021-09-21'],
  ['Australia/Lord_Howe', '2025-10-05'],
  ['Pacific/Auckland', '2025-04-06'],
  ['Pacific/Auckland', '2025-09-28'],
  ['Pacific/Chatham', '2025-04-06'],
  ['Pacific/Chatham', '2025-09-28'],
];

/** A reminder (due date, offset, hour, zone): on any day, or landing on a DST change at the hours it affects. */
export function reminderCase(): fc.Arbitrary<{ due: string; offset: number; hour: number; zone: string }> {
  const anyDay = fc.record({
    due: isoDate(2000, 2037),
    offset: fc.integer({ min: 0, max: 30 }),
    hour: fc.integer({ min: 0, max: 23 }),
    zone: fc.constantFrom(...ZONES),
  });
  const dstDay = fc
    .record({
      day: fc.constantFrom(...DST_DAYS),
      offset: fc.integer({ min: 0, max: 3 }),
      hour: fc.oneof(fc.constantFrom(0, 1, 2, 3, 23), fc.integer({ min: 0, max: 23 })),
    })
    .map(({ day: [zone, date], offset, hour }) => ({
      due: DateTime.fromISO(date, { zone: 'utc' }).plus({ days: offset }).toISODate()!,
      offset,
      hour,
      zone,
    }));
  return fc.oneof(anyDay, dstDay);
}
