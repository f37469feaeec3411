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
