import type {
  ChannelDeliveryUpdate,
  ChannelStore,
  PendingChannelDelivery,
  StoredChannel,
} from '../../activities/ports';
import type { ChannelEvent } from '../../src/db/models';

type MemoryDelivery = PendingChannelDelivery & {
  userId: number;
  workflowId: string;
  status: ChannelDeliveryUpdate['status'];
  responseStatus?: number;
  error?: string;
  sentAtMs?: number;
};

/** An in-memory ChannelStore with the Sequelize one's semantics (one row per key and channel, claims by workflow). */
export function createMemoryChannelStore() {
  const channels = new Map<number, StoredChannel & { events: ChannelEvent[]; failures: number }>();
  const deliveries: MemoryDelivery[] = [];
  let nextId = 1;
  const store: ChannelStore = {
    async plan(plans, workflowId, nowMs) {
      for (const plan of plans) {
        for (const channel of channels.values()) {
          if (channel.userId !== plan.userId || !channel.enabled || !channel.events.includes(plan.event))
            continue;
          if (deliveries.some((d) => d.deliveryKey === plan.deliveryKey && d.channelId === channel.id))
            continue;
          deliveries.push({
            id: nextId++,
            channelId: channel.id,
            userId: plan.userId,
            deliveryKey: plan.deliveryKey,
            payload: plan.payload,
            attempts: 0,
            nextAttemptMs: nowMs,
            workflowId,
            status: 'pending',
          });
        }
      }
    },
    pending: async (keys, workflowId) =>
      deliveries
        .filter((d) => keys.includes(d.deliveryKey) && d.workflowId === workflowId && d.status === 'pending')
        .map((d) => ({ ...d })),
    async findChannel(id) {
      const channel = channels.get(id);
      return channel ? { ...channel } : null;
    },
    async update(update) {
      const row = deliveries.find((d) => d.id === update.id)!;
      Object.assign(row, update);
    },
    async recordOutcome(channelId, failed, disableAfter) {
      const channel = channels.get(channelId)!;
      channel.failures = failed ? channel.failures + 1 : 0;
      if (!channel.enabled || channel.failures < disableAfter) return { disabledNow: false };
      channel.enabled = false;
      return { disabledNow: true, owner: { email: `owner${channel.userId}@example.com`, username: 'owner' } };
    },
  };
  return { store, channels, deliveries };
}

/** A channel of `userId` receiving reminders; `settings` and `secrets` as the type needs. */
export function memoryChannel(
  id: number,
  userId: number,
  type: StoredChannel['type'],
  settings: Record<string, string>,
  secrets: Record<string, string> = {},
) {
  return {
    id,
    userId,
    type,
    settings,
    secrets,
    enabled: true,
    events: ['reminder' as ChannelEvent],
    failures: 0,
  };
}
