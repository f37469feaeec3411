/** The channel activities' port on Sequelize: planning, pending deliveries, channels with opened secrets. */
import { Op, QueryTypes } from 'sequelize';
import type { ChannelStore } from '../../activities/ports';
import type { ChannelEventPayload } from '../channels/channel-event';
import type { SecretBox } from '../channels/secret-box';
import type { Database } from '../db/database';
import { insertIgnoring } from '../db/insert-ignoring';

export function createChannelStore(db: Database, box: SecretBox): ChannelStore {
  const { Channel, ChannelDelivery, User } = db.models;
  const queryInterface = db.sequelize.getQueryInterface();
  const date = (ms: number | undefined) => (ms === undefined ? null : new Date(ms));

  return {
    async plan(plans, workflowId, nowMs) {
      if (plans.length === 0) return;
      const channels = await Channel.findAll({
        where: { userId: [...new Set(plans.map((p) => p.userId))], enabled: true },
        attributes: ['id', 'userId', 'events'],
      });
      if (channels.length === 0) return;
      const now = new Date(nowMs);
      const rows = plans.flatMap((plan) =>
        channels
          .filter((c) => c.userId === plan.userId && c.events.includes(plan.event))
          .map((c) => ({
            channel_id: c.id,
            user_id: plan.userId,
            delivery_key: plan.deliveryKey,
            event: plan.event,
            message_id: plan.payload.id,
            payload: JSON.stringify(plan.payload),
            status: 'pending',
            attempts: 0,
            next_attempt_at: now,
            workflow_id: workflowId,
            created_at: now,
            updated_at: now,
          })),
      );
      await insertIgnoring(queryInterface, 'channel_deliveries', rows);
    },

    async pending(keys, workflowId) {
      if (keys.length === 0) return [];
      const rows = await ChannelDelivery.findAll({
        where: { deliveryKey: { [Op.in]: [...keys] }, workflowId, status: 'pending' },
        order: [['id', 'ASC']],
      });
      return rows.map((row) => ({
        id: row.id,
        channelId: row.channelId,
        deliveryKey: row.deliveryKey,
        payload: JSON.parse(row.payload) as ChannelEventPayload,
        attempts: row.attempts,
        firstAttemptMs: row.firstAttemptAt?.getTime(),
        nextAttemptMs: row.nextAttemptAt.getTime(),
      }));
    },

    async findChannel(id) {
      const channel = await Channel.findByPk(id);
      if (!channel) return null;
      return {
        id: channel.id,
        userId: channel.userId,
        type: channel.type,
        enabled: channel.enabled,
        settings: channel.settings,
        secrets: box.open(channel.secrets),
      };
    },

    async update(update) {
      await ChannelDelivery.update(
        {
          status: update.status,
          attempts: update.attempts,
          firstAttemptAt: date(update.firstAttemptMs),
          nextAttemptAt: new Date(update.nextAttemptMs),
          responseStatus: update.responseStatus ?? null,
          responseBody: update.responseBody ?? null,
          error: update.error ?? null,
          sentAt: date(update.sentAtMs),
        },
        { where: { id: update.id } },
      );
    },

    async recordOutcome(channelId, failed, disableAfter) {
      if (!failed) {
        await Channel.update({ consecutiveFailures: 0 }, { where: { id: channelId } });
        return { disabledNow: false };
      }
      await db.sequelize.query(
        'UPDATE channels SET consecutive_failures = consecutive_failures + 1 WHERE id = :channelId',
        { type: QueryTypes.UPDATE, replacements: { channelId } },
      );
      // Only the update that flips it off tells the owner, however many deliveries fail at once.
      const [flipped] = await Channel.update(
        { enabled: false, disabledReason: `${disableAfter} deliveries failed in a row` },
        { where: { id: channelId, enabled: true, consecutiveFailures: { [Op.gte]: disableAfter } } },
      );
      if (flipped === 0) return { disabledNow: false };
      const channel = await Channel.findByPk(channelId, {
        include: [{ model: User, attributes: ['email', 'username'] }],
      });
      if (!channel?.user) return { disabledNow: false };
      return { disabledNow: true, owner: { email: channel.user.email, username: channel.user.username } };
    },
  };
}
