import { formatMoney } from '../services/money';
import type { ReminderKind } from '../temporal/contract';

/** What a reminder's delivery (and a channel's test message, a sample reminder) says. */
export interface ReminderEventData {
  /** What falls due: a charge, a free trial's end (its first charge), or the last day to cancel. */
  kind: ReminderKind;
  subscription: { id: number; name: string };
  /** Decimal string with two places, as everywhere on the wire. */
  amount: string;
  currency: string;
  due_date: string;
  offset_days: number;
  /** The reminder's instant (ISO 8601). */
  reminder_at: string;
}

/** What a monthly report's delivery says: the month's totals per currency (amounts of currencies never added). */
export interface ReportEventData {
  /** 'YYYY-MM' in the user's zone. */
  month: string;
  /** The user's currency. */
  currency: string;
  /** One entry per currency charged in the month, the user's currency first. */
  totals: { currency: string; amount: string; charges_count: number }[];
  charges_count: number;
}

/** The body a channel delivery carries (the webhook's JSON as is; the others' text is made from it). */
export type ChannelEventPayload = {
  /** Stable per delivery key: the webhook-id too. */
  id: string;
  /** When the delivery was planned (ISO 8601). */
  timestamp: string;
} & (
  | { type: 'reminder.due' | 'channel.test'; data: ReminderEventData }
  | { type: 'report.monthly'; data: ReportEventData }
);

/** The message id of a delivery key: URL- and header-safe, the same for every channel and attempt. */
export function channelMessageId(deliveryKey: string): string {
  return `msg_${deliveryKey.replace(/[^\w.-]/g, '_')}`;
}

/** A reminder's event, as a batch plans it. */
export function reminderEvent(options: {
  deliveryKey: string;
  subscription: { id: number; name: string; priceMinor: number; currency: string };
  dueDate: string;
  offsetDays: number;
  instantMs: number;
  nowMs: number;
  /** A channel's test message: a sample reminder, typed `channel.test`. */
  test?: boolean;
  /** Absent: a charge. */
  kind?: ReminderKind;
}): ChannelEventPayload {
  const { subscription } = options;
  return {
    type: options.test ? 'channel.test' : 'reminder.due',
    id: channelMessageId(options.deliveryKey),
    timestamp: new Date(options.nowMs).toISOString(),
    data: {
      kind: options.kind ?? 'charge',
      subscription: { id: subscription.id, name: subscription.name },
      amount: formatMoney(subscription.priceMinor),
      currency: subscription.currency,
      due_date: options.dueDate,
      offset_days: options.offsetDays,
      reminder_at: new Date(options.instantMs).toISOString(),
    },
  };
}

/** A monthly report's event, as a report batch plans it; months without charges have no report. */
export function reportEvent(options: {
  deliveryKey: string;
  month: string;
  totals: {
    currency: string;
    byCurrency: Record<string, { totalMinor: number; chargesCount: number }>;
  };
  nowMs: number;
}): ChannelEventPayload {
  const { currency, byCurrency } = options.totals;
  const totals = Object.entries(byCurrency)
    .filter(([, t]) => t.chargesCount > 0)
    .sort(([a], [b]) => (a === currency ? -1 : b === currency ? 1 : a.localeCompare(b)))
    .map(([code, t]) => ({
      currency: code,
      amount: formatMoney(t.totalMinor),
      charges_count: t.chargesCount,
    }));
  return {
    type: 'report.monthly',
    id: channelMessageId(options.deliveryKey),
    timestamp: new Date(options.nowMs).toISOString(),
    data: {
      month: options.month,
      currency,
      totals,
      charges_count: totals.reduce((sum, t) => sum + t.charges_count, 0),
    },
  };
}

const REMINDER_TITLES: Readonly<Record<ReminderKind, string>> = {
  charge: 'Payment reminder',
  trial_end: 'Free trial ending',
  cancel_by: 'Cancel-by deadline',
};

/** The title chat channels that have one (ntfy) show above the text. */
export function eventTitle(event: ChannelEventPayload): string {
  if (event.type === 'report.monthly') return 'Monthly report';
  if (event.type === 'channel.test') return 'SubTracker test';
  return REMINDER_TITLES[event.data.kind];
}

/**
 * One line for chat channels: "Netflix: 15.99 EUR due 2026-12-20 (in 7 days)", or for a report
 * "SubTracker report for 2026-11: 45.97 EUR (3 charges), 10.00 USD (1 charge)".
 */
export function eventText(event: ChannelEventPayload): string {
  if (event.type === 'report.monthly') {
    const { month, totals } = event.data;
    const parts = totals.map(
      (t) => `${t.amount} ${t.currency} (${t.charges_count} charge${t.charges_count === 1 ? '' : 's'})`,
    );
    return `SubTracker report for ${month}: ${parts.join(', ')}`;
  }
  const { data } = event;
  const when =
    data.offset_days === 0 ? 'today' : data.offset_days === 1 ? 'tomorrow' : `in ${data.offset_days} days`;
  const prefix = event.type === 'channel.test' ? '[test] ' : '';
  const price = `${data.amount} ${data.currency}`;
  if (data.kind === 'trial_end') {
    return `${prefix}${data.subscription.name}: free trial ends ${data.due_date} (${when}), then ${price}`;
  }
  if (data.kind === 'cancel_by') {
    return `${prefix}${data.subscription.name}: cancel by ${data.due_date} (${when}) to avoid the next ${price} term`;
  }
  return `${prefix}${data.subscription.name}: ${price} due ${data.due_date} (${when})`;
}
