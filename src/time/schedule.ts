/** What a recurring charge looks like: an anchor date repeated every `interval` cycles. */
import { isValidDate, type IsoDate } from './dates';

/** The unit a subscription bills in. */
export type BillingCycle = 'daily' | 'weekly' | 'monthly' | 'yearly';

/** Every billing cycle, in order of length. */
export const BILLING_CYCLES: readonly BillingCycle[] = ['daily', 'weekly', 'monthly', 'yearly'];

/** A recurrence: occurrence n falls n * interval cycles after the anchor (occurrence 0 is the anchor itself). */
export interface Schedule {
  anchor: IsoDate;
  cycle: BillingCycle;
  interval: number;
}

/** True if `value` is one of the billing cycles. */
export function isBillingCycle(value: unknown): value is BillingCycle {
  return typeof value === 'string' && (BILLING_CYCLES as readonly string[]).includes(value);
}

/** Throws RangeError unless the interval is a positive whole number. */
export function assertInterval(interval: number): void {
  if (!Number.isSafeInteger(interval) || interval < 1) {
    throw new RangeError(`Interval must be a positive whole number: ${interval}`);
  }
}

/** Throws RangeError unless the schedule has a valid anchor, cycle and interval. */
export function assertSchedule(schedule: Schedule): void {
  if (!isValidDate(schedule.anchor))
    throw new RangeError(`Invalid anchor date: ${JSON.stringify(schedule.anchor)}`);
  if (!isBillingCycle(schedule.cycle))
    throw new RangeError(`Invalid billing cycle: ${JSON.stringify(schedule.cycle)}`);
  assertInterval(schedule.interval);
}
