/** Facts about a billing period as a whole: its shortest length and its monthly cost. */
import { assertInterval, isBillingCycle, type BillingCycle } from './schedule';

/**
 * The shortest a period between two occurrences can be, in days: daily `interval`, weekly 7 * `interval`,
 * monthly 28 * `interval`, yearly 365 * `interval`. A lower bound rather than an average, so a reminder
 * offset below it always lands after the previous due date (a monthly plan has 28-day periods in February).
 */
export function minPeriodDays(cycle: BillingCycle, interval: number): number {
  assertCycle(cycle);
  assertInterval(interval);
  const daysPerCycle: Record<BillingCycle, number> = { daily: 1, weekly: 7, monthly: 28, yearly: 365 };
  return daysPerCycle[cycle] * interval;
}

/** True if a reminder `offsetDays` before the due date is kept: 0 <= offset < minPeriodDays (longer ones are ignored). */
export function offsetFitsPeriod(offsetDays: number, cycle: BillingCycle, interval: number): boolean {
  return Number.isSafeInteger(offsetDays) && offsetDays >= 0 && offsetDays < minPeriodDays(cycle, interval);
}

/**
 * Price per month in minor units, rounded half-up to an integer: daily price * 365 / 12, weekly price * 52 / 12,
 * monthly price, yearly price / 12, each divided by `interval`. Exact (BigInt) before the single rounding.
 */
export function monthlyEquivalentMinor(priceMinor: number, cycle: BillingCycle, interval: number): number {
  if (!Number.isSafeInteger(priceMinor) || priceMinor < 0) {
    throw new RangeError(`Price must be a whole, non-negative number of minor units: ${priceMinor}`);
  }
  assertCycle(cycle);
  assertInterval(interval);
  const perMonth: Record<BillingCycle, [numerator: bigint, denominator: bigint]> = {
    daily: [365n, 12n],
    weekly: [52n, 12n],
    monthly: [1n, 1n],
    yearly: [1n, 12n],
  };
  const [factor, divisor] = perMonth[cycle];
  const numerator = BigInt(priceMinor) * factor;
  const denominator = divisor * BigInt(interval);
  // floor(x + 1/2) for x = numerator / denominator >= 0.
  return Number((2n * numerator + denominator) / (2n * denominator));
}

function assertCycle(cycle: BillingCycle): void {
  if (!isBillingCycle(cycle)) throw new RangeError(`Invalid billing cycle: ${JSON.stringify(cycle)}`);
}
