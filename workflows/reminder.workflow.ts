import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  defineSignal,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { ReminderActivities } from '../activities/reminder-activities';
import type { ReminderLogEntry } from '../activities/ports';
import {
  MAIL_ACTIVITY_TIMEOUTS,
  MAIL_RETRY,
  REMINDER_LATE_AFTER_MS,
  REMINDER_REPLAN_SIGNAL,
  type MailFailureDetails,
  type ReminderInput,
  type ReminderResult,
} from '../src/temporal/contract';

// Reading the rows and writing the log run as local activities, in the worker that runs the workflow: no task
// queue round trip for either. The send stays a regular activity: its completion is durable before the log is
// written, so a crash after a completed send never sends again.
const { prepareReminder } = proxyLocalActivities<ReminderActivities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', maximumInterval: '1m', maximumAttempts: 10 },
});
// The log must land, whatever the outage: retried until it does (the key makes repeats harmless).
const { recordReminderLog } = proxyLocalActivities<ReminderActivities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', maximumInterval: '1m' },
});

/** Mail retries stop at MAIL_RETRY's attempts, after 2 h, or when the payment falls due, whichever is first. */
function sendActivity(deadlineMs: number) {
  const budget = Math.max(1_000, Math.min(deadlineMs - Date.now(), 2 * 3_600_000));
  return proxyActivities<ReminderActivities>({
    ...MAIL_ACTIVITY_TIMEOUTS,
    scheduleToCloseTimeout: budget,
    retry: MAIL_RETRY,
  }).sendReminder;
}

export const replanSignal = defineSignal(REMINDER_REPLAN_SIGNAL);

/**
 * One payment reminder, id `reminder-{subId}-{dueDate}-{offset}`. Sleeps until its instant, re-validates (and
 * sleeps again if the instant moved later), sends, then records the one log row in a separate activity, so a
 * crash after a completed send never sends again. A deleted subscription or owner ends with no row. A `replan`
 * signal wakes it early to re-validate: an instant moved earlier is kept, not the one it was started with.
 */
export async function reminderWorkflow(input: ReminderInput): Promise<ReminderResult> {
  let instantMs = input.test ? Date.now() : input.instantMs;
  let replanned = false;
  setHandler(replanSignal, () => {
    replanned = true;
  });
  for (;;) {
    if (instantMs > Date.now()) await condition(() => replanned, instantMs - Date.now());
    replanned = false;
    const prepared = await prepareReminder({ ...input, nowMs: Date.now() });
    if (prepared.kind === 'skip') {
      if (prepared.record && prepared.userId !== undefined) {
        await record(input, prepared.userId, {
          status: 'skipped',
          reason: prepared.reason,
          attempts: 0,
          late: false,
        });
      }
      return { outcome: 'skipped', reason: prepared.reason };
    }
    if (!input.test && prepared.instantMs > Date.now()) {
      instantMs = prepared.instantMs;
      continue;
    }
    const { message, userId } = prepared;
    try {
      const delivery = await sendActivity(prepared.deadlineMs)(message);
      const sentAtMs = Date.now();
      // Started after its instant (catch-up), or delivered well after it (long retries, a 429 wait).
      const startedLate = workflowInfo().startTime.getTime() > prepared.instantMs;
      const late = !input.test && (startedLate || sentAtMs - prepared.instantMs > REMINDER_LATE_AFTER_MS);
      await record(input, userId, {
        status: 'sent',
        message: message.text,
        attempts: delivery.attempts,
        providerMessageId: delivery.providerMessageId,
        late,
        sentAtMs,
      });
      return { outcome: 'sent', ...delivery, late };
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      const failure = describeSendFailure(err);
      await record(input, userId, { status: 'failed', message: message.text, ...failure, late: false });
      return { outcome: 'failed', ...failure };
    }
  }
}

async function record(
  input: ReminderInput,
  userId: number,
  outcome: Omit<ReminderLogEntry, 'subscriptionId' | 'userId' | 'dueDate' | 'offsetDays'>,
): Promise<void> {
  if (input.test) return; // A test send leaves no row: its key would block the real reminder.
  const { subscriptionId, dueDate, offsetDays } = input;
  await recordReminderLog({ subscriptionId, userId, dueDate, offsetDays, ...outcome });
}

/**
 * Attempts and last error of a failed send. A permanent error or exhausted retries carry the mail activity's
 * ApplicationFailure; a schedule-to-close timeout (the payment fell due) wraps the last one, when there was one.
 */
export function describeSendFailure(err: ActivityFailure): { attempts: number; error: string } {
  let cause: Error | undefined = err.cause;
  while (cause && !(cause instanceof ApplicationFailure) && cause.cause) cause = cause.cause as Error;
  const details =
    cause instanceof ApplicationFailure ? (cause.details?.[0] as MailFailureDetails | undefined) : undefined;
  const error = cause instanceof ApplicationFailure ? cause.message : (err.cause?.message ?? err.message);
  return { attempts: details?.attempt ?? 0, error };
}
