/** Billing-period length (for ignoring long reminder offsets) and the monthly-equivalent price. */
import fc from 'fast-check';
import {
  minPeriodDays,
  monthlyEquivalentMinor,
  offsetFitsPeriod,
  type BillingCycle,
} from '../../../src/time';

describe('minPeriodDays', () => {
  it.each([
    ['daily', 1, 1],
    ['daily', 3, 3],
    ['weekly', 2, 14],
    ['monthly', 1, 28],
    ['monthly', 3, 84],
    ['yearly', 1, 365],
  ] as const)('%s every %i is at least %i days', (cycle, interval, days) => {
    expect(minPeriodDays(cycle, interval)).toBe(days);
  });

  it('rejects a zero or fractional interval', () => {
    expect(() => minPeriodDays('monthly', 0)).toThrow(RangeError);
    expect(() => minPeriodDays('monthly', 1.5)).toThrow(RangeError);
  });
});

describe('offsetFitsPeriod', () => {
  it('keeps offsets shorter than the period and ignores the rest', () => {
    expect(offsetFitsPeriod(27, 'monthly', 1)).toBe(true);
    expect(offsetFitsPeriod(28, 'monthly', 1)).toBe(false);
    expect(offsetFitsPeriod(6, 'weekly', 1)).toBe(true);
    expect(offsetFitsPeriod(7, 'weekly', 1)).toBe(false);
    expect(offsetFitsPeriod(0, 'daily', 1)).toBe(true);
    expect(offsetFitsPeriod(1, 'daily', 1)).toBe(false);
    expect(offsetFitsPeriod(-1, 'yearly', 1)).toBe(false);
  });
});

describe('monthlyEquivalentMinor', () => {
  it.each([
    ['a monthly price is itself', 999, 'monthly', 1, 999],
    ['every 3 months divides by 3', 1000, 'monthly', 3, 333],
    ['every 3 months rounds 333.67 up', 1001, 'monthly', 3, 334],
    ['yearly divides by 12', 11988, 'yearly', 1, 999],
    ['yearly rounds half up (0.5 -> 1)', 6, 'yearly', 1, 1],
    ['yearly rounds half up (1.5 -> 2)', 18, 'yearly', 1, 2],
    ['daily is 365 days over 12 months', 100, 'daily', 1, 3042],
    ['weekly is 52 weeks over 12 months', 1000, 'weekly', 1, 4333],
    ['every 2 weeks rounds 6.5 up', 3, 'weekly', 2, 7],
    ['free stays free', 0, 'yearly', 5, 0],
  ] as const)('%s', (_name, price, cycle, interval, expected) => {
    expect(monthlyEquivalentMinor(price, cycle, interval)).toBe(expected);
  });

  it('equals the yearly amount over 12 months and the interval, rounded half-up', () => {
    const perYear: Record<BillingCycle, number> = { daily: 365, weekly: 52, monthly: 12, yearly: 1 };
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.constantFrom<BillingCycle>('daily', 'weekly', 'monthly', 'yearly'),
        fc.integer({ min: 1, max: 36 }),
        (price, cycle, interval) => {
          const numerator = price * perYear[cycle];
          // Math.round is half-up for non-negative numbers and exact at .5 for these magnitudes.
          expect(monthlyEquivalentMinor(price, cycle, interval)).toBe(
            Math.round(numerator / (12 * interval)),
          );
        },
      ),
    );
  });

  it('rejects a negative or fractional price', () => {
    expect(() => monthlyEquivalentMinor(-1, 'monthly', 1)).toThrow(RangeError);
    expect(() => monthlyEquivalentMinor(9.99, 'monthly', 1)).toThrow(RangeError);
  });
});
