import { formatMoney } from '../services/money';

/** The body a channel delivery carries (the webhook's JSON as is; the others' text is made from it). */
export interface ChannelEventPayload {
  type: 'reminder.due' | 'channel.test';
  /** Stable per delivery key: the webhook-id too. */
  id: string;
  /** When the delivery was planned (ISO 8601). */
  timestamp: string;
  data: {
    subscription: { id: number; name: string };
    /** Decimal string with two places, as everywhere on the wire. */
    amount: string;
    currency: string;
    due_date: string;
    offset_days: number;
    /** The reminder's instant (ISO 8601). */
    reminder_at: string;
  };
}

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
}): ChannelEventPayload {
  const { subscription } = options;
  return {
    type: 'reminder.due',
    id: channelMessageId(options.deliveryKey),
    timestamp: new Date(options.nowMs).toISOString(),
    data: {
      subscription: { id: subscription.id, name: subscription.name },
      amount: formatMoney(subscription.priceMinor),
      currency: subscription.currency,
      due_date: options.dueDate,
      offset_days: options.offsetDays,
      reminder_at: new Date(options.instantMs).toISOString(),
    },
  };
}

/** One line for chat channels: "Netflix: 15.99 EUR due 2026-12-20 (in 7 days)". */
export function eventText(event: ChannelEventPayload): string {
  const { data } = event;
  const when =
    data.offset_days === 0 ? 'today' : data.offset_days === 1 ? 'tomorrow' : `in ${data.offset_days} days`;
  const prefix = event.type === 'channel.test' ? '[test] ' : '';
  return `${prefix}${data.subscription.name}: ${data.amount} ${data.currency} due ${data.due_date} (${when})`;
}
