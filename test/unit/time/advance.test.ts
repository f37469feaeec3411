/** Advancing the next payment date past what is due. */
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { advance, nextOccurrenceOnOrAfter, occurrenceAt, type Schedule } from '../../../src/time';
import { schedule } from './arbitraries';

const monthlyFrom31st: Schedule = { anchor: '2025-01-31', cycle: 'monthly', interval: 1 };

describe('advance', () => {
  it('a date not yet due stays next and nothing is charged', () => {
    expect(advance(monthlyFrom31st, '2025-02-28', '2025-02-27')).toEqual({ due: [], next: '2025-02-28' });
  });

  it('a date due yesterday is charged once and the next one follows', () => {
    expect(advance(monthlyFrom31st, '2025-02-28', '2025-03-01')).toEqual({
      due: ['2025-02-28'],
      next: '2025-03-31',
    });
  });

  it('never moves the next payment date backwards when it is ahead of an occurrence on or after today', () => {
    expect(advance(monthlyFrom31st, '2025-04-30', '2025-03-01')).toEqual({ due: [], next: '2025-04-30' });
  });

  it('a long outage charges every missed occurrence, in order', () => {
    const weekly: Schedule = { anchor: '2025-01-06', cycle: 'weekly', interval: 1 };
    const { due, next } = advance(weekly, '2025-01-06', '2025-12-31');
    expect(due).toHaveLength(52);
    expect(due[51]).toBe('2025-12-29');
    expect(next).toBe('2026-01-05');
  });

  it('the charged dates and the new next date are consecutive occurrences', () => {
    fc.assert(
      fc.property(
        schedule(),
        fc.integer({ min: 0, max: 50 }),
        fc.integer({ min: -60, max: 500 }),
        (s, paidUpTo, daysLater) => {
          const nextPaymentDate = occurrenceAt(s, paidUpTo);
          const today = DateTime.fromISO(nextPaymentDate, { zone: 'utc' })
            .plus({ days: daysLater })
            .toISODate()!;
          const { due, next } = advance(s, nextPaymentDate, today);
          [...due, next].forEach((date, k) => expect(date).toBe(occurrenceAt(s, paidUpTo + k)));
          expect(due.every((date) => date < today)).toBe(true);
          expect(next).toBe(today <= nextPaymentDate ? nextPaymentDate : nextOccurrenceOnOrAfter(s, today));
        },
      ),
    );
  });
});
