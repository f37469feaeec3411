import type { ChannelWait } from '../src/temporal/contract';
import type { ChannelStore } from './ports';

/** The keys among these with channel deliveries `workflowId` planned and has not ended, and when each is next due. */
export async function channelWaits(
  store: ChannelStore,
  keys: readonly string[],
  workflowId: string,
): Promise<ChannelWait[]> {
  const rows = await store.pending(keys, workflowId);
  const waits = new Map<string, number>();
  for (const row of rows)
    waits.set(row.deliveryKey, Math.min(row.nextAttemptMs, waits.get(row.deliveryKey) ?? Infinity));
  return [...waits].map(([key, notBeforeMs]) => ({ key, notBeforeMs }));
}
