import type { Subscription } from '../../db/models';
import { formatMoney } from '../../services/money';

/** The JSON export's `format`: import recognises its own files by it. */
export const EXPORT_FORMAT = 'subtracker.subscriptions.v1';

/** Every field a subscription holds that a user set or that its schedule needs, in the export's order. */
export const EXPORT_COLUMNS = [
  'name',
  'price',
  'currency',
  'billing_cycle',
  'billing_interval',
  'anchor_date',
  'next_payment_date',
  'category',
  'status',
  'reminder_offsets',
  'notes',
  'url',
  'created_at',
] as const;

/** One subscription as the JSON export writes it (wire names, money as "29.99"). */
export function presentExportRow(sub: Subscription) {
  return {
    name: sub.name,
    price: formatMoney(sub.priceMinor),
    currency: sub.currency,
    billing_cycle: sub.billingCycle,
    billing_interval: sub.billingInterval,
    anchor_date: sub.anchorDate,
    next_payment_date: sub.nextPaymentDate,
    category: sub.category ?? null,
    status: sub.status,
    reminder_offsets: sub.reminderOffsets ?? null,
    notes: sub.notes ?? null,
    url: sub.url ?? null,
    created_at: sub.createdAt.toISOString(),
  };
}

/**
 * The same row for CSV: null is an empty cell, and reminder_offsets is JSON text so "inherit the account's"
 * (empty) and "no reminders" (`[]`) stay apart.
 */
export function presentExportCsvRow(sub: Subscription): Record<(typeof EXPORT_COLUMNS)[number], string> {
  const row = presentExportRow(sub);
  return {
    ...row,
    billing_interval: String(row.billing_interval),
    category: row.category ?? '',
    reminder_offsets: row.reminder_offsets ? JSON.stringify(row.reminder_offsets) : '',
    notes: row.notes ?? '',
    url: row.url ?? '',
  };
}
