/** Timezones: validation, the owner's local today and month, and when a month has ended locally. */
import fc from 'fast-check';
import {
  isValidZone,
  localDate,
  localMonth,
  localTimeToInstant,
  monthEndInstant,
  nextMonth,
} from '../../../src/time';
import { ZONES } from './arbitraries';

const at = (iso: string): number => Date.parse(iso);
const iso = (instant: number): string => new Date(instant).toISOString();

describe('isValidZone', () => {
  it.each(['UTC', 'Etc/UTC', 'Europe/Berlin', 'America/Los_Angeles', 'Pacific/Kiritimati'])(
    'accepts %s',
    (zone) => {
      expect(isValidZone(zone)).toBe(true);
    },
  );

  it.each(['Mars/Base', '', 'Europe/Berln', 'Not a zone'])('rejects %j', (zone) => {
    expect(isValidZone(zone)).toBe(false);
  });

  it('rejects values that are not strings', () => {
    expect(isValidZone(undefined)).toBe(false);
    expect(isValidZone(0)).toBe(false);
  });
});

describe('localDate', () => {
  it.each([
    [
      'Auckland winter, one second before local midnight',
      '2025-06-10T11:59:59Z',
      'Pacific/Auckland',
      '2025-06-10',
    ],
    ['Auckland winter, at local midnight', '2025-06-10T12:00:00Z', 'Pacific/Auckland', '2025-06-11'],
    [
      'Auckland summer, one second before local midnight',
      '2025-01-10T10:59:59Z',
      'Pacific/Auckland',
      '2025-01-10',
    ],
    ['Auckland summer, at local midnight', '2025-01-10T11:00:00Z', 'Pacific/Auckland', '2025-01-11'],
    [
      'Los Angeles winter, one second before local midnight',
      '2025-01-10T07:59:59Z',
      'America/Los_Angeles',
      '2025-01-09',
    ],
    ['Los Angeles winter, at local midnight', '2025-01-10T08:00:00Z', 'America/Los_Angeles', '2025-01-10'],
    [
      'Los Angeles summer, one second before local midnight',
      '2025-07-10T06:59:59Z',
      'America/Los_Angeles',
      '2025-07-09',
    ],
    ['Los Angeles summer, at local midnight', '2025-07-10T07:00:00Z', 'America/Los_Angeles', '2025-07-10'],
  ])('%s', (_name, instant, zone, expected) => {
    expect(localDate(at(instant), zone)).toBe(expected);
  });

  it('one instant is a different day in Auckland and in Los Angeles', () => {
    const instant = at('2025-03-05T20:00:00Z');
    expect([localDate(instant, 'Pacific/Auckland'), localDate(instant, 'America/Los_Angeles')]).toEqual([
      '2025-03-06',
      '2025-03-05',
    ]);
  });

  it('throws RangeError for an unknown zone or a non-finite instant', () => {
    expect(() => localDate(0, 'Mars/Base')).toThrow(RangeError);
    expect(() => localDate(Number.NaN, 'UTC')).toThrow(RangeError);
  });
});

describe('localMonth', () => {
  it('the last evening of January in UTC is already February in Auckland', () => {
    const instant = at('2025-01-31T12:00:00Z');
    expect(localMonth(instant, 'Pacific/Auckland')).toBe('2025-02');
    expect(localMonth(instant, 'America/Los_Angeles')).toBe('2025-01');
  });
});

describe('monthEndInstant', () => {
  it.each([
    ['Los Angeles in winter (UTC-8)', '2025-01', 'America/Los_Angeles', 0, '2025-02-01T08:00:00.000Z'],
    ['Los Angeles in summer time (UTC-7)', '2025-03', 'America/Los_Angeles', 0, '2025-04-01T07:00:00.000Z'],
    ['Los Angeles at year end', '2024-12', 'America/Los_Angeles', 0, '2025-01-01T08:00:00.000Z'],
    [
      'Los Angeles at 06:00 local on the 1st',
      '2025-01',
      'America/Los_Angeles',
      6,
      '2025-02-01T14:00:00.000Z',
    ],
    [
      'Kiritimati (UTC+14) ends on the previous UTC day',
      '2025-01',
      'Pacific/Kiritimati',
      0,
      '2025-01-31T10:00:00.000Z',
    ],
    ['Kiritimati December', '2025-12', 'Pacific/Kiritimati', 0, '2025-12-31T10:00:00.000Z'],
  ])('%s', (_name, month, zone, hour, expected) => {
    expect(iso(monthEndInstant(month, zone, hour))).toBe(expected);
  });

  it('is the first instant at which the local month is the next one', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2000, max: 2040 }),
        fc.integer({ min: 1, max: 12 }),
        fc.constantFrom(...ZONES),
        (year, m, zone) => {
          const month = `${year}-${String(m).padStart(2, '0')}`;
          const end = monthEndInstant(month, zone);
          expect(localMonth(end - 1, zone)).toBe(month);
          expect(localMonth(end, zone)).toBe(nextMonth(month));
        },
      ),
    );
  });
});

describe('localTimeToInstant', () => {
  it.each([
    [
      'a skipped hour in New York moves forward by the gap',
      '2025-03-09',
      2,
      'America/New_York',
      '2025-03-09T07:00:00.000Z',
    ],
    [
      'a repeated hour in New York takes the earlier instant',
      '2025-11-02',
      1,
      'America/New_York',
      '2025-11-02T05:00:00.000Z',
    ],
    [
      'a half-hour gap on Lord Howe moves forward by 30 minutes',
      '2025-10-05',
      2,
      'Australia/Lord_Howe',
      '2025-10-04T15:30:00.000Z',
    ],
    [
      'a skipped local midnight in Santiago becomes 01:00',
      '2025-09-07',
      0,
      'America/Santiago',
      '2025-09-07T04:00:00.000Z',
    ],
    [
      'a repeated 23:00 in Santiago takes the earlier instant',
      '2025-04-05',
      23,
      'America/Santiago',
      '2025-04-06T02:00:00.000Z',
    ],
  ])('%s', (_name, date, hour, zone, expected) => {
    expect(iso(localTimeToInstant(date, hour, zone))).toBe(expected);
  });

  it('rejects an hour outside 0-23 and an unknown zone', () => {
    expect(() => localTimeToInstant('2025-01-01', 24, 'UTC')).toThrow(RangeError);
    expect(() => localTimeToInstant('2025-01-01', 9.5, 'UTC')).toThrow(RangeError);
    expect(() => localTimeToInstant('2025-01-01', 9, 'Mars/Base')).toThrow(RangeError);
  });

  it('answers a date, hour and zone asked before from memory, without asking Intl for offsets again', () => {
    const formatToParts = jest.spyOn(Intl.DateTimeFormat.prototype, 'formatToParts');
    try {
      const first = localTimeToInstant('2031-03-30', 2, 'Europe/Berlin');
      const asked = formatToParts.mock.calls.length;
      expect(asked).toBeGreaterThan(0);
      expect(localTimeToInstant('2031-03-30', 2, 'Europe/Berlin')).toBe(first);
      expect(formatToParts.mock.calls.length).toBe(asked);
      // Another zone, date or hour is its own answer.
      expect(localTimeToInstant('2031-03-30', 2, 'America/New_York')).toBe(
        Date.parse('2031-03-30T06:00:00Z'),
      );
      expect(localTimeToInstant('2031-03-31', 2, 'Europe/Berlin')).toBe(Date.parse('2031-03-31T00:00:00Z'));
      expect(localTimeToInstant('2031-03-30', 3, 'Europe/Berlin')).toBe(first);
    } finally {
      formatToParts.mockRestore();
    }
  });
});
