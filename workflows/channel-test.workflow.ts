import { proxyActivities, sleep } from '@temporalio/workflow';
import type { ChannelDeliveryActivities } from '../activities/channel-delivery';
import { channelDeliveryName, type ChannelTestInput, type ChannelTestResult } from '../src/temporal/contract';
import { DATABASE_RETRY } from './database-retry';

// The batches' own channel activity, with their timeouts and retry: a test is delivered as a reminder is.
const { deliverChannels } = proxyActivities<ChannelDeliveryActivities>({
  startToCloseTimeout: '30m',
  heartbeatTimeout: '30s',
  retry: DATABASE_RETRY,
});

/**
 * A channel's test message (POST /users/me/channels/{id}/test), id `channel-test-{channelId}-{nonce}`. The API
 * planned its one channel_deliveries row (key `channel-test:{channelId}:{nonce}`) for this workflow before
 * starting it; this delivers it with the batches' activity, waiting out each backoff or Retry-After on a durable
 * timer, until it is sent or has failed. Returns how it ended.
 */
export async function channelTestWorkflow(input: ChannelTestInput): Promise<ChannelTestResult> {
  let notBeforeMs = Date.now();
  for (;;) {
    if (notBeforeMs > Date.now()) await sleep(notBeforeMs - Date.now());
    const delivery = await deliverChannels({ keys: [input.key] });
    const result = delivery.done[channelDeliveryName(input.key, input.channelId)];
    if (result) return result;
    const [wait] = delivery.again;
    if (!wait) return { outcome: 'skipped', reason: 'channel_deleted' };
    notBeforeMs = wait.notBeforeMs;
  }
}
