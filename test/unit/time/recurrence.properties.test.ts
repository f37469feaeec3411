/** Properties of recurrence that must hold for every schedule, checked against a brute-force oracle. */
import fc from 'fast-check';
import { DateTime } from 'luxon';
import {
  daysInMonth,
  nextOccurrenceOnOrAfter,
  occurrenceAt,
  occurrenceIndexOnOrAfter,
  occurrencesBetween,
  parseDate,
  type Schedule,
} from '../../../src/time';
import { schedule } from './arbitraries';

/** The first n with occurrence n >= date, by walking from the anchor (what the module must not do). */
function bruteIndexOnOrAfter(s: Schedule, date: string): number {
  let n = 0;
  while (occurrenceAt(s, n) < date) n++;
  return n;
}

const index = fc.integer({ min: 0, max: 400 });
/** Days from the anchor to a probe date: before it, near it, or up to ~11 years after. */
const daysFromAnchor = fc.integer({ min: -400, max: 4000 });

function plusDays(date: string, days: number): string {
  return DateTime.fromISO(date, { zone: 'utc' }).plus({ days }).toISODate()!;
}

describe('recurrence properties', () => {
  it('occurrences are strictly increasing and never before the anchor', () => {
    fc.assert(
      fc.property(schedule(), index, (s, n) => {
        expect(occurrenceAt(s, 0)).toBe(s.anchor);
        expect(occurrenceAt(s, n) >= s.anchor).toBe(true);
        expect(occurrenceAt(s, n) < occurrenceAt(s, n + 1)).toBe(true);
      }),
    );
  });

  it('monthly and yearly occurrences keep the anchor day, clamped to the length of their month', () => {
    fc.assert(
      fc.property(schedule(['monthly', 'yearly']), index, (s, n) => {
        const anchor = parseDate(s.anchor);
        const { year, month, day } = parseDate(occurrenceAt(s, n));
        const months = n * s.interval * (s.cycle === 'yearly' ? 12 : 1);
        const expected = DateTime.utc(anchor.year, anchor.month, 1).plus({ months });
        expect({ year, month }).toEqual({ year: expected.year, month: expected.month });
        expect(day).toBe(Math.min(anchor.day, daysInMonth(year, month)));
      }),
    );
  });

  it('daily and weekly occurrences are a fixed number of days after the anchor', () => {
    fc.assert(
      fc.property(schedule(['daily', 'weekly']), index, (s, n) => {
        const days = n * s.interval * (s.cycle === 'weekly' ? 7 : 1);
        expect(occurrenceAt(s, n)).toBe(
          DateTime.fromISO(s.anchor, { zone: 'utc' }).plus({ days }).toISODate(),
        );
      }),
    );
  });

  it('every N cycles is counted from the anchor: occurrence n of interval k is occurrence n*k of interval 1', () => {
    fc.assert(
      fc.property(schedule(), fc.integer({ min: 0, max: 40 }), (s, n) => {
        expect(occurrenceAt(s, n)).toBe(occurrenceAt({ ...s, interval: 1 }, n * s.interval));
      }),
    );
  });

  it('nextOccurrenceOnOrAfter returns an occurrence on or after the date whose predecessor is before it', () => {
    fc.assert(
      fc.property(schedule(), daysFromAnchor, (s, days) => {
        const date = plusDays(s.anchor, days);
        const next = nextOccurrenceOnOrAfter(s, date);
        const n = occurrenceIndexOnOrAfter(s, date);
        expect(next).toBe(occurrenceAt(s, n));
        expect(n).toBe(bruteIndexOnOrAfter(s, date));
        expect(next >= date && next >= s.anchor).toBe(true);
        if (n > 0) expect(occurrenceAt(s, n - 1) < date).toBe(true);
      }),
    );
  });

  it('occurrencesBetween lists exactly the occurrences inside the inclusive range', () => {
    fc.assert(
      fc.property(schedule(), daysFromAnchor, fc.integer({ min: -5, max: 800 }), (s, days, span) => {
        const from = plusDays(s.anchor, days);
        const to = plusDays(from, span);
        const expected: string[] = [];
        for (let n = bruteIndexOnOrAfter(s, from); occurrenceAt(s, n) <= to; n++)
          expected.push(occurrenceAt(s, n));
        expect(occurrencesBetween(s, from, to)).toEqual(expected);
      }),
    );
  });
});
