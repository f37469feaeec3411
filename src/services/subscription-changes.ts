/** What a client may set on a subscription, and the date rules a change triggers (docs/time.md). */
import type { BillingCycle, Subscription, SubscriptionStatus } from '../db/models';
import { compareDates, nextOccurrenceOnOrAfter, type IsoDate } from '../time';
import { scheduleOf } from './subscription-schedule';

/** Every client-settable field, in domain terms (money in minor units). */
export interface SubscriptionFields {
  name: string;
  priceMinor: number;
  currency: string;
  billingCycle: BillingCycle;
  billingInterval: number;
  nextPaymentDate: IsoDate;
  /** The free trial ends (and the first charge falls) on this date; null clears it. */
  trialEndsOn: IsoDate | null;
  /** A fixed term's last day (no charge after it); null clears it. */
  endsOn: IsoDate | null;
  /** The date by which the owner must cancel (at most 365 days ahead); null clears it. */
  cancelBy: IsoDate | null;
  category: string | null;
  status: SubscriptionStatus;
  /** null inherits the owner's offsets, [] means no reminders. */
  reminderOffsets: number[] | null;
  notes: string | null;
  url: string | null;
}

/** A partial update (PUT and PATCH alike): absent fields stay, null clears the nullable ones. */
export type SubscriptionChanges = Partial<SubscriptionFields>;

/** A new subscription: the seed's required fields, the rest defaulted. */
export type NewSubscription = Pick<SubscriptionFields, 'name' | 'priceMinor' | 'billingCycle'> &
  SubscriptionChanges;

const SIMPLE_FIELDS = [
  'name',
  'priceMinor',
  'currency',
  'category',
  'reminderOffsets',
  'notes',
  'url',
  'billingCycle',
  'billingInterval',
  'status',
  'trialEndsOn',
  'endsOn',
  'cancelBy',
] as const;

/**
 * Applies `changes` to `sub` (unsaved). Setting next_payment_date resets the anchor; changing the cycle or
 * interval alone re-anchors on the current next payment date (so it stays an occurrence); resuming a paused or
 * cancelled plan without a new date jumps to its first occurrence on or after `today`, with no ledger rows.
 * Returns whether the result must be advanced at once (an explicitly set date may lie in the past).
 */
export function applyChanges(sub: Subscription, changes: SubscriptionChanges, today: IsoDate): boolean {
  const wasActive = sub.status === 'active';
  const scheduleChanged =
    (changes.billingCycle !== undefined && changes.billingCycle !== sub.billingCycle) ||
    (changes.billingInterval !== undefined && changes.billingInterval !== sub.billingInterval);
  for (const field of SIMPLE_FIELDS) {
    if (changes[field] !== undefined) sub.set(field, changes[field]);
  }
  if (changes.reminderOffsets) sub.set('reminderOffsets', sortOffsets(changes.reminderOffsets));
  if (changes.nextPaymentDate !== undefined) {
    sub.set({ anchorDate: changes.nextPaymentDate, nextPaymentDate: changes.nextPaymentDate });
    return sub.status === 'active';
  }
  if (scheduleChanged) sub.set('anchorDate', sub.nextPaymentDate);
  if (!wasActive && sub.status === 'active' && compareDates(sub.nextPaymentDate, today) < 0) {
    sub.set('nextPaymentDate', nextOccurrenceOnOrAfter(scheduleOf(sub), today));
  }
  return false;
}

/** Offsets are kept distinct and largest first, like the user's. */
export function sortOffsets(offsets: number[]): number[] {
  return [...new Set(offsets)].sort((a, b) => b - a);
}
