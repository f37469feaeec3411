/** Reminder instants: local wall time on the due date minus the offset, DST-correct. */
import fc from 'fast-check';
import { DateTime, IANAZone } from 'luxon';
import { reminderInstant } from '../../../src/time';
import { reminderCase } from './arbitraries';

const MINUTE = 60_000;
const DAY = 86_400_000;

describe('reminderInstant', () => {
  it('round-trips to the reminder hour on due date minus offset, except where DST skips that hour', () => {
    fc.assert(
      fc.property(reminderCase(), ({ due, offset, hour, zone }) => {
        const instant = reminderInstant(due, offset, hour, zone);
        const rules = IANAZone.create(zone);
        const wallClock = (at: number): number => at + rules.offset(at) * MINUTE;
        // The wanted local date and hour, written as if it were UTC.
        const wanted = DateTime.fromISO(due, { zone: 'utc' })
          .minus({ days: offset })
          .set({ hour })
          .toMillis();
        // Instants whose wall clock reads the wanted time, from the zone's offsets a day either side.
        const candidates = [rules.offset(instant - DAY), rules.offset(instant + DAY)]
          .map((offsetMinutes) => wanted - offsetMinutes * MINUTE)
          .filter((candidate) => wallClock(candidate) === wanted);
        if (candidates.length > 0) {
          // The wall time exists: it is hit exactly, and when it happens twice, the earlier instant wins.
          expect(wallClock(instant)).toBe(wanted);
          expect(instant).toBe(Math.min(...candidates));
        } else {
          // The wall time was skipped: it moves forward by the size of the gap.
          const gapMinutes = rules.offset(instant) - rules.offset(instant - DAY);
          expect(gapMinutes).toBeGreaterThan(0);
          expect(wallClock(instant)).toBe(wanted + gapMinutes * MINUTE);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('an offset of zero fires on the due date itself', () => {
    expect(new Date(reminderInstant('2025-06-10', 0, 9, 'Europe/Berlin')).toISOString()).toBe(
      '2025-06-10T07:00:00.000Z',
    );
  });

  it('a reminder 3 days before a due date just after New York starts summer time uses winter time', () => {
    expect(new Date(reminderInstant('2025-03-11', 3, 9, 'America/New_York')).toISOString()).toBe(
      '2025-03-08T14:00:00.000Z',
    );
  });

  it('rejects a negative or fractional offset, a bad hour, date or zone', () => {
    expect(() => reminderInstant('2025-06-10', -1, 9, 'UTC')).toThrow(RangeError);
    expect(() => reminderInstant('2025-06-10', 1.5, 9, 'UTC')).toThrow(RangeError);
    expect(() => reminderInstant('2025-06-10', 1, 24, 'UTC')).toThrow(RangeError);
    expect(() => reminderInstant('2025-06-31', 1, 9, 'UTC')).toThrow(RangeError);
    expect(() => reminderInstant('2025-06-10', 1, 9, 'Mars/Base')).toThrow(RangeError);
  });
});
