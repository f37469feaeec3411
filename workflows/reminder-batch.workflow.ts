import { DATABASE_RETRY } from './database-retry';
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
const { deliverReminders } = proxyActivities<ReminderActivities>({
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
 */
export async function reminderBatchWorkflow(input: ReminderBatchInput): Promise<ReminderBatchResult> {
  const outcomes = { ...input.outcomes };
  let pending = input.reminders;
  // A continued run re-validates at once: a replan that came while the last run closed is not lost.
  let replanned = input.outcomes !== undefined;
  setHandler(replanSignal, () => {
    replanned = true;
  });
  const batchStartMs = workflowInfo().startTime.getTime();

  while (pending.length > 0) {
    const nextMs = Math.min(...pending.map(notBefore));
    if (!replanned && nextMs > Date.now()) await condition(() => replanned, nextMs - Date.now());
    const woken = replanned;
    replanned = false;
    const nowMs = Date.now();
    // On replan, every reminder waiting for its instant; one waiting out a retry keeps its wait.
    const due = pending.filter((r) => notBefore(r) <= nowMs || (woken && !r.attempts));
    if (due.length === 0) continue;
    const delivery = await deliverReminders({ reminders: due, batchStartMs });
    Object.assign(outcomes, delivery.done);
    pending = pending.filter((r) => !due.includes(r)).concat(delivery.again);
    const info = workflowInfo();
    const historyLimit = input.historyLimit ?? REMINDER_BATCH_HISTORY_LIMIT;
    if (pending.length > 0 && (info.historyLength >= historyLimit || info.continueAsNewSuggested)) {
      await continueAsNew<typeof reminderBatchWorkflow>({ ...input, reminders: pending, outcomes });
    }
  }
  return { outcomes };
}
