/** ISO calendar dates: validation and day arithmetic, checked against Luxon. */
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { addDays, compareDates, daysBetween, isValidDate, maxDate, parseDate } from '../../../src/time';
import { isoDate } from './arbitraries';

describe('isValidDate', () => {
  it.each(['2024-02-29', '2025-02-28', '2025-12-31', '1970-01-01', '0001-01-01', '9999-12-31'])(
    'accepts %s',
    (date) => {
      expect(isValidDate(date)).toBe(true);
    },
  );

  it.each(['2025-02-31', '2025-02-29', '2100-02-29', '2025-04-31', '2025-13-01', '2025-00-10', '2025-01-00'])(
    'rejects the nonexistent day %s',
    (date) => expect(isValidDate(date)).toBe(false),
  );

  it.each(['2025-2-3', '25-02-03', '2025-02-03T00:00', ' 2025-02-03', '2025/02/03', '', '0000-01-01'])(
    'rejects the malformed %j',
    (date) => expect(isValidDate(date)).toBe(false),
  );

  it('rejects values that are not strings', () => {
    expect(isValidDate(20250203)).toBe(false);
    expect(isValidDate(null)).toBe(false);
  });

  it('with from1970, rejects years before the epoch', () => {
    expect(isValidDate('1969-12-31', { from1970: true })).toBe(false);
    expect(isValidDate('1970-01-01', { from1970: true })).toBe(true);
    expect(isValidDate('9999-12-31', { from1970: true })).toBe(true);
  });

  it('agrees with Luxon on every zero-padded year, month and day', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9999 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        (y, m, d) => {
          const text = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
          expect(isValidDate(text)).toBe(DateTime.fromISO(text, { zone: 'utc' }).isValid);
        },
      ),
    );
  });
});

describe('parseDate', () => {
  it('splits a date into numbers and throws RangeError on an invalid one', () => {
    expect(parseDate('2024-02-29')).toEqual({ year: 2024, month: 2, day: 29 });
    expect(() => parseDate('2025-02-29')).toThrow(RangeError);
  });
});

describe('day arithmetic', () => {
  it('addDays crosses month, year and leap-day boundaries', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2025-02-28', 1)).toBe('2025-03-01');
    expect(addDays('2025-01-01', -1)).toBe('2024-12-31');
    expect(addDays('2000-03-01', -1)).toBe('2000-02-29');
  });

  it('addDays agrees with Luxon', () => {
    fc.assert(
      fc.property(isoDate(1900, 2200), fc.integer({ min: -100_000, max: 100_000 }), (date, days) => {
        const expected = DateTime.fromISO(date, { zone: 'utc' }).plus({ days }).toISODate();
        expect(addDays(date, days)).toBe(expected);
      }),
    );
  });

  it('daysBetween undoes addDays and counts from the epoch like Date.UTC', () => {
    fc.assert(
      fc.property(isoDate(1900, 2200), fc.integer({ min: -5000, max: 5000 }), (date, days) => {
        expect(daysBetween(date, addDays(date, days))).toBe(days);
        const { year, month, day } = parseDate(date);
        expect(daysBetween('1970-01-01', date)).toBe(Date.UTC(year, month - 1, day) / 86_400_000);
      }),
    );
  });

  it('addDays refuses to leave years 0001-9999', () => {
    expect(() => addDays('9999-12-31', 1)).toThrow(RangeError);
  });
});

describe('comparing dates', () => {
  it('orders by calendar and returns the later date', () => {
    expect(compareDates('2025-01-31', '2025-02-01')).toBe(-1);
    expect(compareDates('2025-02-01', '2025-02-01')).toBe(0);
    expect(compareDates('2026-01-01', '2025-12-31')).toBe(1);
    expect(maxDate('2025-03-01', '2025-02-28')).toBe('2025-03-01');
  });

  it('throws on a malformed date instead of comparing strings', () => {
    expect(() => compareDates('2025-2-3', '2025-02-03')).toThrow(RangeError);
  });
});
