import type { SubscriptionRow } from '../../services/owner-subscriptions-store';
import { formatMoney } from '../../services/money';
import type { UpcomingCharge } from '../../services/upcoming-service';
import { monthlyEquivalentMinor } from '../../time';

/** The fields of a subscription (a model or a raw row) a client may see: the seed's plus the time engine's (money as "29.99"). */
export function presentSubscription(sub: SubscriptionRow) {
  return {
    id: sub.id,
    user_id: sub.userId,
    name: sub.name,
    price: formatMoney(sub.priceMinor),
    currency: sub.currency,
    billing_cycle: sub.billingCycle,
    billing_interval: sub.billingInterval,
    next_payment_date: sub.nextPaymentDate,
    anchor_date: sub.anchorDate,
    trial_ends_on: sub.trialEndsOn ?? null,
    ends_on: sub.endsOn ?? null,
    cancel_by: sub.cancelBy ?? null,
    category: sub.category ?? null,
    status: sub.status,
    reminder_offsets: sub.reminderOffsets ?? null,
    notes: sub.notes ?? null,
    url: sub.url ?? null,
    monthly_equivalent: formatMoney(
      monthlyEquivalentMinor(sub.priceMinor, sub.billingCycle, sub.billingInterval),
    ),
    created_at: sub.createdAt.toISOString(),
    updated_at: sub.updatedAt.toISOString(),
  };
}

/** One upcoming charge: the subscription as above plus the due date and its reminders. */
export function presentUpcoming(charge: UpcomingCharge) {
  return {
    ...presentSubscription(charge.subscription),
    due_date: charge.dueDate,
    reminders: charge.reminders.map((r) => ({
      offset_days: r.offsetDays,
      kind: r.kind,
      at: new Date(r.at).toISOString(),
      status: r.status,
    })),
  };
}
