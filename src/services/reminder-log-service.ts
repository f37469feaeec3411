/** Reminder logs as their owner reads them (the seed's endpoints); written by the advance and reminder code. */
import type { Database } from '../db/database';
import type { ChannelDelivery, ReminderLog } from '../db/models';
import { NotFoundError } from '../errors';
import type { Paged } from './subscription-paging';

export function createReminderLogService(deps: { db: Database }) {
  const { ReminderLog, ChannelDelivery, Channel } = deps.db.models;

  /** The channel deliveries of these logs' reminders, by key, each with its channel's type. */
  async function channelsOf(userId: number, logs: ReminderLog[]): Promise<Map<string, ChannelDelivery[]>> {
    const byKey = new Map<string, ChannelDelivery[]>();
    if (logs.length === 0) return byKey;
    const rows = await ChannelDelivery.findAll({
      where: { userId, deliveryKey: logs.map((l) => l.idempotencyKey) },
      include: [{ model: Channel, attributes: ['type'] }],
      order: [['channelId', 'ASC']],
    });
    for (const row of rows) byKey.set(row.deliveryKey, [...(byKey.get(row.deliveryKey) ?? []), row]);
    return byKey;
  }

  /** A subscription's logs, newest first (the caller checked that the subscription is the owner's). */
  async function listForSubscription(
    userId: number,
    subscriptionId: number,
    page: { offset: number; limit: number },
  ): Promise<Paged<ReminderLog>> {
    const { rows, count } = await ReminderLog.findAndCountAll({
      where: { userId, subscriptionId },
      order: [
        ['createdAt', 'DESC'],
        ['id', 'DESC'],
      ],
      offset: page.offset,
      limit: page.limit,
    });
    return { items: rows, total: count };
  }

  /** Every log of these occurrences, for the upcoming view. */
  async function ofDueDates(userId: number, subscriptionIds: number[], dueDates: string[]) {
    if (subscriptionIds.length === 0 || dueDates.length === 0) return [];
    return ReminderLog.findAll({
      where: { userId, subscriptionId: subscriptionIds, dueDate: dueDates },
      attributes: ['subscriptionId', 'dueDate', 'offsetDays', 'status'],
    });
  }

  async function get(userId: number, id: number): Promise<ReminderLog> {
    const log = await ReminderLog.findOne({ where: { id, userId } });
    if (!log) throw new NotFoundError('Reminder log not found.', 'reminder_log_not_found');
    return log;
  }

  async function remove(userId: number, id: number): Promise<void> {
    const log = await get(userId, id);
    // The destroy hook bumps the owner's data version (upcoming shows the state again) in this transaction.
    await deps.db.sequelize.transaction((transaction) => log.destroy({ transaction }));
  }

  return { listForSubscription, ofDueDates, get, remove, channelsOf };
}

export type ReminderLogService = ReturnType<typeof createReminderLogService>;
