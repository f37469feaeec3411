import type { Payment } from '../../db/models';
import { formatMoney } from '../../services/money';

/** A ledger row: a charge that came due, with the name and category it had then. */
export function presentPayment(payment: Payment) {
  return {
    id: payment.id,
    subscription_id: payment.subscriptionId ?? null,
    name: payment.name,
    category: payment.category ?? null,
    due_date: payment.dueDate,
    amount: formatMoney(payment.amountMinor),
    currency: payment.currency,
    created_at: payment.createdAt.toISOString(),
  };
}
