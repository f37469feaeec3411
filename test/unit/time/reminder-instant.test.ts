/** Reminder instants: local wall time on the due date minus the offset, DST-correct. */
import fc from 'fast-check';
import { DateTime, IANAZone } from 'luxon';
import { reminderInstant } from '../../../src/time';
import { isoDate, ZONES } from './arbitraries';

const MINUTE = 60_000;
const DAY = 86_400_000;

describe('reminderInstant', () => {
  it('round-trips to the reminder hour on due date minus offset, except where DST skips that hour', () => {
    fc.assert(
      fc.property(
        isoDate(2000, 2037),
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 0, max: 23 }),
        fc.constantFrom(...ZONES),
        (due, offset, hour, zone) => {
          const instant = reminderInstant(due, offset, hour, zone);
          const local = DateTime.fromMillis(instant, { zone });
          const wanted = DateTime.fromISO(due, { zone: 'utc' }).minus({ days: offset }).set({ hour });
          const zoneRules = IANAZone.create(zone);
          // Instants whose local wall time is the wanted one, found from the offsets around it.
          const candidates = [zoneRules.offset(instant - DAY), zoneRules.offset(instant + DAY)]
            .map((offsetMinutes) => wanted.toMillis() - offsetMinutes * MINUTE)
            .filter(
              (candidate) =>
                DateTime.fromMillis(candidate, { zone }).toFormat('yyyy-MM-dd HH:mm') ===
                wanted.toFormat('yyyy-MM-dd HH:mm'),
            );
          if (candidates.length > 0) {
            expect(local.toISODate()).toBe(wanted.toISODate());
            expect([local.hour, local.minute]).toEqual([hour, 0]);
            // When the wall time happens twice, the earlier instant.
            expect(instant).toBe(Math.min(...candidates));
          } else {
            // The wall time was skipped: it moves forward by the size of the gap.
            const gapMinutes = zoneRules.offset(instant) - zoneRules.offset(instant - DAY);
            expect(gapMinutes).toBeGreaterThan(0);
            expect(local.toMillis() + local.offset * MINUTE).toBe(wanted.toMillis() + gapMinutes * MINUTE);
          }
        },
      ),
      { numRuns: 2000 },
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
