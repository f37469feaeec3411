/** Targeted cases for recurrence beyond the shared vectors. */
import { nextOccurrenceOnOrAfter, occurrenceAt, occurrencesBetween, type Schedule } from '../../../src/time';

const monthlyFrom31st: Schedule = { anchor: '2025-01-31', cycle: 'monthly', interval: 1 };

describe('occurrenceAt', () => {
  it('yearly from Feb 29 returns to Feb 29 in each leap year', () => {
    const leapDay: Schedule = { anchor: '2024-02-29', cycle: 'yearly', interval: 1 };
    expect([occurrenceAt(leapDay, 4), occurrenceAt(leapDay, 76), occurrenceAt(leapDay, 77)]).toEqual([
      '2028-02-29',
      '2100-02-28',
      '2101-02-28',
    ]);
  });

  it('rejects a negative or fractional index and an invalid schedule', () => {
    expect(() => occurrenceAt(monthlyFrom31st, -1)).toThrow(RangeError);
    expect(() => occurrenceAt(monthlyFrom31st, 1.5)).toThrow(RangeError);
    expect(() => occurrenceAt({ ...monthlyFrom31st, interval: 0 }, 1)).toThrow(RangeError);
    expect(() => occurrenceAt({ ...monthlyFrom31st, anchor: '2025-02-30' }, 1)).toThrow(RangeError);
    expect(() => occurrenceAt({ ...monthlyFrom31st, cycle: 'hourly' as Schedule['cycle'] }, 1)).toThrow(
      RangeError,
    );
  });
});

describe('nextOccurrenceOnOrAfter', () => {
  it('returns the anchor for any date on or before it', () => {
    expect(nextOccurrenceOnOrAfter(monthlyFrom31st, '1999-12-31')).toBe('2025-01-31');
    expect(nextOccurrenceOnOrAfter(monthlyFrom31st, '2025-01-31')).toBe('2025-01-31');
  });

  it('returns the date itself when it is an occurrence', () => {
    expect(nextOccurrenceOnOrAfter(monthlyFrom31st, '2025-02-28')).toBe('2025-02-28');
  });

  it('from a date after the clamped day of its month, moves to the next month', () => {
    expect(nextOccurrenceOnOrAfter(monthlyFrom31st, '2025-04-30')).toBe('2025-04-30');
    expect(nextOccurrenceOnOrAfter({ ...monthlyFrom31st, anchor: '2025-01-15' }, '2025-04-16')).toBe(
      '2025-05-15',
    );
  });

  it('skips the months between occurrences of an every-3-months plan', () => {
    expect(
      nextOccurrenceOnOrAfter({ anchor: '2024-11-30', cycle: 'monthly', interval: 3 }, '2025-03-01'),
    ).toBe('2025-05-30');
  });

  it('answers for a date centuries after the anchor without walking there', () => {
    const daily: Schedule = { anchor: '1970-01-01', cycle: 'daily', interval: 1 };
    expect(nextOccurrenceOnOrAfter(daily, '9999-12-31')).toBe('9999-12-31');
    expect(nextOccurrenceOnOrAfter({ ...monthlyFrom31st, anchor: '1970-01-31' }, '9999-12-01')).toBe(
      '9999-12-31',
    );
  });
});

describe('occurrencesBetween', () => {
  it('includes both ends of the range', () => {
    expect(occurrencesBetween(monthlyFrom31st, '2025-02-28', '2025-04-30')).toEqual([
      '2025-02-28',
      '2025-03-31',
      '2025-04-30',
    ]);
  });

  it('never lists a date before the anchor', () => {
    expect(occurrencesBetween(monthlyFrom31st, '2024-01-01', '2025-02-28')).toEqual([
      '2025-01-31',
      '2025-02-28',
    ]);
  });

  it('is empty when the range ends before the anchor or is reversed', () => {
    expect(occurrencesBetween(monthlyFrom31st, '2024-01-01', '2025-01-30')).toEqual([]);
    expect(occurrencesBetween(monthlyFrom31st, '2025-04-30', '2025-03-31')).toEqual([]);
  });
});
