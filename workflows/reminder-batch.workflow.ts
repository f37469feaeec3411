import { DATABASE_RETRY } from './database-retry';
import { mergeChannelWaits } from './channel-waits';
import {
  condition,
  continueAsNew,
  defineSignal,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { ReminderActivities } from '../activities/reminder-activities';
import {
  REMINDER_BATCH_HISTORY_LIMIT,
  REMINDER_REPLAN_SIGNAL,
  type BatchReminder,
  type ReminderBatchInput,
  type ReminderBatchResult,
} from '../src/temporal/contract';

// Retried until it succeeds: a database outage across the instant delays the batch, never loses it (each
// reminder's own deadline, the payment falling due, ends it as `missed`). A retry resumes from the database.
const { deliverReminders, deliverChannels } = proxyActivities<ReminderActivities>({
  startToCloseTimeout: '30m',
  heartbeatTimeout: '30s',
  retry: DATABASE_RETRY,
});

export const replanSignal = defineSignal(REMINDER_REPLAN_SIGNAL);

const notBefore = (r: BatchReminder) => r.notBeforeMs ?? r.instantMs;

/**
 * The reminders firing at one instant, id `reminders-{instant}-{digest}`; its input lists them. Sleeps until
 * the earliest is due, then one delivery activity re-validates, claims, sends and logs them all; reminders
 * that must wait (an instant moved later, a retry's backoff, a 429's Retry-After) come back and are delivered
 * again after a durable timer. A `replan` signal wakes it to re-validate every reminder waiting for its instant
 * at once, so an instant moved earlier is kept. Continues as new (with what is left) before its history grows
 * long. Returns every reminder's outcome by key.
 *
 * Channel deliveries (webhook, ntfy, ...) ride the same batch: the email's delivery plans them for its owner's
 * channels, and a second activity makes them, each with its own backoff, alongside (never behind) the emails.
 */
export async function reminderBatchWorkflow(input: ReminderBatchInput): Promise<ReminderBatchResult> {
  const outcomes = { ...input.outcomes };
  const channelOutcomes = { ...input.channelOutcomes };
  let pending = input.reminders;
  let channels = input.channels ?? [];
  // A continued run re-validates at once: a replan that came while the last run closed is not lost.
  let replanned = input.outcomes !== undefined;
  setHandler(replanSignal, () => {
    replanned = true;
  });
  const batchStartMs = workflowInfo().startTime.getTime();

  while (pending.length > 0 || channels.length > 0) {
    const nextMs = Math.min(...pending.map(notBefore), ...channels.map((c) => c.notBeforeMs));
    if (!replanned && nextMs > Date.now()) await condition(() => replanned, nextMs - Date.now());
    const woken = replanned;
    replanned = false;
    const nowMs = Date.now();
    // On replan, every reminder waiting for its instant; one waiting out a retry keeps its wait.
    const due = pending.filter((r) => notBefore(r) <= nowMs || (woken && !r.attempts));
    const dueChannels = channels.filter((c) => c.notBeforeMs <= nowMs);
    if (due.length === 0 && dueChannels.length === 0) continue;
    const [delivery, channelDelivery] = await Promise.all([
      due.length ? deliverReminders({ reminders: due, batchStartMs }) : undefined,
      dueChannels.length ? deliverChannels({ keys: dueChannels.map((c) => c.key) }) : undefined,
    ]);
    if (delivery) {
      Object.assign(outcomes, delivery.done);
      pending = pending.filter((r) => !due.includes(r)).concat(delivery.again);
    }
    if (channelDelivery) Object.assign(channelOutcomes, channelDelivery.done);
    channels = mergeChannelWaits(
      channels
        .filter((c) => !dueChannels.includes(c))
        .concat(channelDelivery?.again ?? [], delivery?.channels ?? []),
    );
    const info = workflowInfo();
    const historyLimit = input.historyLimit ?? REMINDER_BATCH_HISTORY_LIMIT;
    const left = pending.length > 0 || channels.length > 0;
    if (left && (info.historyLength >= historyLimit || info.continueAsNewSuggested)) {
      await continueAsNew<typeof reminderBatchWorkflow>({
        ...input,
        reminders: pending,
        outcomes,
        channels,
        channelOutcomes,
      });
    }
  }
  return Object.keys(channelOutcomes).length ? { outcomes, channelOutcomes } : { outcomes };
}
