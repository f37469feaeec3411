import { Context } from '@temporalio/activity';
import type { Mailer } from '../src/mail/mailer';
import { decideReminder } from '../src/services/reminder-plan';
import {
  REMINDER_LATE_AFTER_MS,
  reminderKeyOf,
  type BatchDelivery,
  type BatchReminder,
  type ReminderResult,
} from '../src/temporal/contract';
import { MAX_UNLOGGED, planRetry, type MailPause, type SendSlots } from './batch-send';
import { createLogWriter } from './log-writer';
import { classifyMailError } from './mail-failure';
import { reminderMessage, type ReminderLinks } from './reminder-message';
import { reminderEvent } from '../src/channels/channel-event';
import { channelWaits } from './channel-waits';
import type { ActivityLog, ChannelStore, ReminderContext, ReminderLogEntry, ReminderStore } from './ports';

export type { SendSlots } from './batch-send';

export interface ReminderDeliveryDeps {
  reminders: ReminderStore;
  mailer: Mailer;
  links: ReminderLinks;
  /** Shared by every batch the worker runs: bounds the emails in flight (MAIL_CONCURRENCY). */
  sendSlots: SendSlots;
  /** The worker's 429 pause, shared with the report batches (default: this factory's own). */
  mailPause?: MailPause;
  /** The owners' notification channels: deliveries are planned here, made by deliverChannels. */
  channels?: ChannelStore;
  log?: ActivityLog;
}

export interface DeliveryRequest {
  reminders: BatchReminder[];
  /** When the batch started: a reminder whose instant it follows is late (catch-up). */
  batchStartMs: number;
}

/**
 * The batch's delivery activity. Loads its reminders in bulk, re-validates each against the rows as they are
 * now (decideReminder), logs the skipped ones, returns those whose instant moved later, claims the rest (a
 * reminder another batch claimed is left to it), sends them through the worker's bounded pool and logs each in
 * multi-row writes (group commit). A transient failure comes back with its attempt count and the time of its
 * next attempt (MAIL_RETRY's backoff, a 429's Retry-After, which also pauses the worker's other sends); the
 * retries stop after MAIL_RETRY's attempts, two hours, or when the payment falls due, and a permanent 4xx
 * fails at once: both are logged `failed`. Retried as a whole (worker lost, database down), it resumes from the
 * database: logged keys are skipped, its own claims are kept.
 */
export function createReminderDelivery(deps: ReminderDeliveryDeps) {
  const pause = deps.mailPause ?? { untilMs: 0 };
  return {
    async deliverReminders(request: DeliveryRequest): Promise<BatchDelivery> {
      const ctx = Context.current();
      // Claims and log rows name the batch (a MockActivityEnvironment has no workflow: 'unknown').
      const workflowId = ctx.info.workflowExecution?.workflowId ?? 'unknown';
      const workflowRunId = ctx.info.workflowExecution?.runId;
      // Server time, as the workflow sees it (the time-skipping server's too): when this attempt was scheduled,
      // plus what has passed since it started. A retry after an outage sees the time it runs at.
      const startedReal = Date.now();
      const now = () => ctx.info.currentAttemptScheduledTimestampMs + (Date.now() - startedReal);
      const beat = setInterval(() => ctx.heartbeat(), 5_000);
      const writer = createLogWriter<ReminderLogEntry>({
        write: (rows) => deps.reminders.recordLogs(rows),
        sleep: (ms) => ctx.sleep(ms),
        onRetry: (err, attempt) =>
          deps.log?.warn(
            { workflowId, attempt, err: (err as Error).message },
            'reminder logs not written yet',
          ),
      });
      const done: Record<string, ReminderResult> = {};
      const again: BatchReminder[] = [];
      const log = (r: BatchReminder, userId: number, outcome: Partial<ReminderLogEntry>) =>
        writer.add({
          subscriptionId: r.subscriptionId,
          userId,
          dueDate: r.dueDate,
          offsetDays: r.offsetDays,
          kind: r.kind ?? 'charge',
          attempts: 0,
          late: false,
          status: 'skipped',
          workflowId,
          workflowRunId,
          ...outcome,
        });

      try {
        const { reminders } = request;
        const [contexts, logged] = await Promise.all([
          deps.reminders.findContexts(reminders.map((r) => r.subscriptionId)),
          deps.reminders.loggedKeys(reminders.map(reminderKeyOf)),
        ]);
        const ready: { reminder: BatchReminder; context: ReminderContext; deadlineMs: number }[] = [];
        for (const reminder of reminders) {
          const key = reminderKeyOf(reminder);
          const context = contexts.get(reminder.subscriptionId) ?? null;
          const decision = decideReminder(context, reminder, now(), logged.has(key));
          if (decision.kind === 'skip') {
            if (decision.record && context) log(reminder, context.owner.id, { reason: decision.reason });
            done[key] = { outcome: 'skipped', reason: decision.reason };
          } else if (decision.instantMs > now()) {
            again.push({ ...reminder, instantMs: decision.instantMs, notBeforeMs: decision.instantMs });
          } else {
            const moved = { ...reminder, instantMs: decision.instantMs };
            ready.push({ reminder: moved, context: context!, deadlineMs: decision.deadlineMs });
          }
        }

        const claimed = await deps.reminders.claim(
          ready.map((r) => r.reminder),
          workflowId,
        );
        // Planned before any email goes: a worker dying mid-send loses no channel delivery, and a retry of this
        // activity (its keys logged by then) still finds them pending below.
        await deps.channels?.plan(
          ready
            .filter(({ reminder }) => claimed.has(reminderKeyOf(reminder)))
            .map(({ reminder, context }) => ({
              deliveryKey: reminderKeyOf(reminder),
              userId: context.owner.id,
              event: 'reminder' as const,
              payload: reminderEvent({
                deliveryKey: reminderKeyOf(reminder),
                subscription: context.subscription,
                dueDate: reminder.dueDate,
                offsetDays: reminder.offsetDays,
                instantMs: reminder.instantMs,
                nowMs: now(),
                kind: reminder.kind,
              }),
            })),
          workflowId,
          now(),
        );
        await Promise.all(
          ready.map(({ reminder, context, deadlineMs }) => {
            const key = reminderKeyOf(reminder);
            if (!claimed.has(key)) {
              done[key] = { outcome: 'skipped', reason: 'claimed_elsewhere' };
              return undefined;
            }
            return deps.sendSlots(async () => {
              if (ctx.cancellationSignal.aborted) throw ctx.cancellationSignal.reason;
              if (pause.untilMs > now()) {
                again.push({ ...reminder, notBeforeMs: pause.untilMs });
                return;
              }
              // Bounds what a worker dying now could send twice: sends wait while too many rows are unwritten.
              while (writer.backlog >= MAX_UNLOGGED) await writer.flush();
              const attempts = (reminder.attempts ?? 0) + 1;
              const firstAttemptMs = reminder.firstAttemptMs ?? now();
              const userId = context.owner.id;
              const message = reminderMessage(deps.links, context, reminder, now(), key);
              try {
                const sent = await deps.mailer.send(message);
                const sentAtMs = now();
                const late =
                  request.batchStartMs > reminder.instantMs ||
                  sentAtMs - reminder.instantMs > REMINDER_LATE_AFTER_MS;
                log(reminder, userId, {
                  status: 'sent',
                  message: message.text,
                  attempts,
                  providerMessageId: sent.id,
                  late,
                  sentAtMs,
                });
                done[key] = { outcome: 'sent', providerMessageId: sent.id, attempts, late };
              } catch (err) {
                const failure = classifyMailError(err);
                const { exhausted, nextMs } = planRetry({
                  failure,
                  attempts,
                  firstAttemptMs,
                  nowMs: now(),
                  deadlineMs,
                  pause,
                });
                if (exhausted) {
                  log(reminder, userId, {
                    status: 'failed',
                    message: message.text,
                    attempts,
                    error: failure.message,
                  });
                  done[key] = { outcome: 'failed', attempts, error: failure.message };
                } else {
                  again.push({
                    ...reminder,
                    attempts,
                    firstAttemptMs,
                    lastError: failure.message,
                    notBeforeMs: nextMs,
                  });
                }
              }
              ctx.heartbeat();
            });
          }),
        );
        await writer.flush();
        const sent = Object.values(done).filter((d) => d.outcome === 'sent').length;
        deps.log?.info(
          { workflowId, reminders: reminders.length, sent, again: again.length },
          'reminder batch delivered',
        );
        const channels = deps.channels
          ? await channelWaits(deps.channels, reminders.map(reminderKeyOf), workflowId)
          : [];
        return channels.length ? { done, again, channels } : { done, again };
      } finally {
        clearInterval(beat);
      }
    },
  };
}

export type ReminderDeliveryActivities = ReturnType<typeof createReminderDelivery>;
