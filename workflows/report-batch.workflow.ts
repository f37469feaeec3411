import { continueAsNew, patched, proxyActivities, sleep, workflowInfo } from '@temporalio/workflow';
import type { ChannelDeliveryActivities } from '../activities/channel-delivery';
import type { ReportActivities } from '../activities/report-activities';
import {
  REPORT_BATCH_HISTORY_LIMIT,
  type BatchReportUser,
  type ChannelWait,
  type ReportBatchInput,
  type ReportBatchResult,
} from '../src/temporal/contract';
import { DATABASE_RETRY } from './database-retry';
import { mergeChannelWaits } from './channel-waits';

// Retried until it succeeds: a database outage across the instant delays the reports, never loses them. A retry
// resumes from the database (recorded users skipped, its own claims kept).
const { deliverReports } = proxyActivities<ReportActivities>({
  startToCloseTimeout: '30m',
  heartbeatTimeout: '30s',
  retry: DATABASE_RETRY,
});
const { deliverChannels } = proxyActivities<ChannelDeliveryActivities>({
  startToCloseTimeout: '30m',
  heartbeatTimeout: '30s',
  retry: DATABASE_RETRY,
});

/**
 * Marks the runs that deliver reports to channels too. Runs started by a worker without it (history without the
 * marker) replay as they were, without channel deliveries; a worker without it that meets the marker fails the
 * workflow task, which is retried until a worker with it takes the task.
 */
export const REPORT_CHANNELS_PATCH = 'report-channels';

const notBefore = (u: BatchReportUser) => u.notBeforeMs ?? u.instantMs;

/**
 * One month's reports of the users of one fan-out page whose report falls due at the same instant, id
 * `reports-{YYYY-MM}-{instant}-{N}x{digest}`; its input lists them. Sleeps until the earliest is due, then one
 * delivery activity checks, composes, claims, sends and records them all; users that must wait (an instant moved
 * later, a retry's backoff, a 429's Retry-After) come back and are delivered again after a durable timer.
 * Continues as new (with what is left) before its history grows long. Returns every user's outcome by id.
 *
 * Channel deliveries (a summary per channel receiving `report`) ride the same batch as the reminders' do: the
 * report's delivery plans them for its owner's channels, and deliverChannels makes them, each with its own
 * backoff, alongside (never behind) the emails.
 */
export async function reportBatchWorkflow(input: ReportBatchInput): Promise<ReportBatchResult> {
  const outcomes = { ...input.outcomes };
  const channelOutcomes = { ...input.channelOutcomes };
  let pending = input.users;
  let channels: ChannelWait[] = input.channels ?? [];
  while (pending.length > 0 || channels.length > 0) {
    const nextMs = Math.min(...pending.map(notBefore), ...channels.map((c) => c.notBeforeMs));
    if (nextMs > Date.now()) await sleep(nextMs - Date.now());
    const nowMs = Date.now();
    const due = pending.filter((u) => notBefore(u) <= nowMs);
    const dueChannels = channels.filter((c) => c.notBeforeMs <= nowMs);
    const [delivery, channelDelivery] = await Promise.all([
      due.length ? deliverReports({ month: input.month, users: due }) : undefined,
      dueChannels.length ? deliverChannels({ keys: dueChannels.map((c) => c.key) }) : undefined,
    ]);
    if (delivery) {
      Object.assign(outcomes, delivery.done);
      pending = pending.filter((u) => !due.includes(u)).concat(delivery.again);
    }
    if (channelDelivery) Object.assign(channelOutcomes, channelDelivery.done);
    // A run from before channel deliveries ignores the waits its delivery returns (it replays as it ran).
    const planned = delivery?.channels && patched(REPORT_CHANNELS_PATCH) ? delivery.channels : [];
    channels = mergeChannelWaits(
      channels.filter((c) => !dueChannels.includes(c)).concat(channelDelivery?.again ?? [], planned),
    );
    const info = workflowInfo();
    const historyLimit = input.historyLimit ?? REPORT_BATCH_HISTORY_LIMIT;
    const left = pending.length > 0 || channels.length > 0;
    if (left && (info.historyLength >= historyLimit || info.continueAsNewSuggested)) {
      await continueAsNew<typeof reportBatchWorkflow>({
        ...input,
        users: pending,
        outcomes,
        channels,
        channelOutcomes,
      });
    }
  }
  return Object.keys(channelOutcomes).length ? { outcomes, channelOutcomes } : { outcomes };
}
