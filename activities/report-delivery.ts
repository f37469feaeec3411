import { Context } from '@temporalio/activity';
import pLimit from 'p-limit';
import type { Mailer } from '../src/mail/mailer';
import { reportEvent } from '../src/channels/channel-event';
import {
  reportKeyOf,
  type BatchReportUser,
  type ReportBatchDelivery,
  type UserReportResult,
} from '../src/temporal/contract';
import { MAX_UNLOGGED, planRetry, type MailPause, type SendSlots } from './batch-send';
import { createLogWriter } from './log-writer';
import { classifyMailError } from './mail-failure';
import { channelWaits } from './channel-waits';
import type { ActivityLog, ChannelStore, ReportEntry } from './ports';
import { createReportSteps, type ReportStepDeps } from './report-steps';

export interface ReportDeliveryDeps extends ReportStepDeps {
  mailer: Mailer;
  /** Shared by every batch the worker runs: bounds the emails in flight (MAIL_CONCURRENCY). */
  sendSlots: SendSlots;
  /** The worker's 429 pause, shared with the reminder batches (default: this factory's own). */
  mailPause?: MailPause;
  /**
   * Bounds the users whose reports are prepared (checked, advanced, composed) at once across every batch the
   * worker runs (default: PREPARE_CONCURRENCY for this factory, i.e. the worker).
   */
  prepareSlots?: SendSlots;
  /** The owners' notification channels: report deliveries are planned here, made by deliverChannels. */
  channels?: ChannelStore;
  log?: ActivityLog;
}

export interface ReportDeliveryRequest {
  month: string;
  users: BatchReportUser[];
}

/** Users composed per step of a batch: their claims go out in one insert, while earlier sends go on. */
const COMPOSE_CHUNK = 16;

/**
 * Users prepared at once by the worker, whatever the number of batches it runs (up to 100 activities). Without
 * this bound, 100 batches composing 16 users each put ~1,600 users' reads in front of the database at once: on
 * SQLite, where every statement goes through one connection, a claim then waited behind thousands of reads and
 * missed its 5 s write slot, and the retried batches met the same queue (10,000 users never started sending).
 */
export const PREPARE_CONCURRENCY = 8;

/**
 * The report batch's delivery activity. For each user, the per-user report's own steps (checkReport,
 * advanceReportPayments, composeReport): a user with a row for the month, or no longer wanting reports, is
 * skipped; one whose instant moved later (zone or hour changed) comes back to wait for it; no charges records
 * `skipped`. The rest are claimed (a user another batch claimed is left to it), sent through the worker's bounded
 * pool and recorded in multi-row writes (group commit), at most MAX_UNLOGGED sent and not yet recorded. A
 * transient failure comes back with its attempt count and the time of its next attempt (MAIL_RETRY's backoff, a
 * 429's Retry-After, which also pauses the worker's other sends); after MAIL_RETRY's attempts or two hours, or at
 * once on a permanent 4xx, the report is recorded `failed`. Retried as a whole (worker lost, database down), it
 * resumes from the database: recorded users are skipped, its own claims are kept.
 */
export function createReportDelivery(deps: ReportDeliveryDeps) {
  const steps = createReportSteps(deps);
  const pause = deps.mailPause ?? { untilMs: 0 };
  const prepareSlots: SendSlots = deps.prepareSlots ?? pLimit(PREPARE_CONCURRENCY);
  return {
    async deliverReports(request: ReportDeliveryRequest): Promise<ReportBatchDelivery> {
      const ctx = Context.current();
      // Claims name the batch (a MockActivityEnvironment has no workflow: 'unknown').
      const workflowId = ctx.info.workflowExecution?.workflowId ?? 'unknown';
      // Server time, as the workflow sees it (the time-skipping server's too): see deliverReminders.
      const startedReal = Date.now();
      const now = () => ctx.info.currentAttemptScheduledTimestampMs + (Date.now() - startedReal);
      const beat = setInterval(() => ctx.heartbeat(), 5_000);
      const writer = createLogWriter<ReportEntry>({
        write: (rows) => deps.reports.recordReports(rows),
        sleep: (ms) => ctx.sleep(ms),
        onRetry: (err, attempt) =>
          deps.log?.warn({ workflowId, attempt, err: (err as Error).message }, 'report rows not written yet'),
      });
      const { month } = request;
      const done: Record<string, UserReportResult> = {};
      const again: BatchReportUser[] = [];
      const sends: Promise<void>[] = [];

      /** Check, advance, compose: what the per-user workflow does before its send. */
      async function prepare(user: BatchReportUser) {
        const { userId } = user;
        const check = await steps.checkReport({ userId, month });
        if (check.kind === 'skip') {
          done[userId] = { outcome: 'skipped', reason: check.reason };
          return undefined;
        }
        if (check.instantMs > now()) {
          again.push({ ...user, instantMs: check.instantMs, notBeforeMs: check.instantMs });
          return undefined;
        }
        await steps.advanceReportPayments({ userId, nowMs: now() });
        const composed = await steps.composeReport({ userId, month, nowMs: now() });
        if (composed.kind === 'skip') {
          done[userId] = { outcome: 'skipped', reason: composed.reason };
          return undefined;
        }
        if (composed.kind === 'empty') {
          writer.add({ userId, month, status: 'skipped', totals: composed.totals });
          done[userId] = { outcome: 'skipped', reason: 'no_charges' };
          return undefined;
        }
        return { user: { ...user, instantMs: check.instantMs }, composed };
      }

      async function send(user: BatchReportUser, composed: Awaited<ReturnType<typeof steps.composeReport>>) {
        if (composed.kind !== 'send') return;
        const { userId } = user;
        if (ctx.cancellationSignal.aborted) throw ctx.cancellationSignal.reason;
        if (pause.untilMs > now()) {
          again.push({ ...user, notBeforeMs: pause.untilMs });
          return;
        }
        // Bounds what a worker dying now could send twice: sends wait while too many rows are unwritten.
        while (writer.backlog >= MAX_UNLOGGED) await writer.flush();
        const attempts = (user.attempts ?? 0) + 1;
        const firstAttemptMs = user.firstAttemptMs ?? now();
        const { totals } = composed;
        try {
          const sent = await deps.mailer.send(composed.message);
          writer.add({ userId, month, status: 'sent', totals, providerMessageId: sent.id, sentAtMs: now() });
          done[userId] = { outcome: 'sent', providerMessageId: sent.id, attempts };
        } catch (err) {
          const failure = classifyMailError(err);
          const retry = planRetry({ failure, attempts, firstAttemptMs, nowMs: now(), pause });
          if (retry.exhausted) {
            writer.add({ userId, month, status: 'failed', totals });
            done[userId] = { outcome: 'failed', attempts, error: failure.message };
          } else {
            again.push({
              ...user,
              attempts,
              firstAttemptMs,
              lastError: failure.message,
              notBeforeMs: retry.nextMs,
            });
          }
        }
        ctx.heartbeat();
      }

      try {
        const recorded = await deps.reports.recordedUsers(
          request.users.map((u) => u.userId),
          month,
        );
        const pending = request.users.filter((u) => {
          if (recorded.has(u.userId)) done[u.userId] = { outcome: 'skipped', reason: 'already_recorded' };
          return !recorded.has(u.userId);
        });
        for (let i = 0; i < pending.length; i += COMPOSE_CHUNK) {
          const chunk = pending.slice(i, i + COMPOSE_CHUNK);
          const ready = (await Promise.all(chunk.map((u) => prepareSlots(() => prepare(u))))).filter(
            (r) => r !== undefined,
          );
          const claimed = await deps.reports.claim(
            ready.map((r) => r.user.userId),
            month,
            workflowId,
          );
          // Planned before the emails go, as the reminders' are: a worker dying mid-send loses no channel delivery.
          await deps.channels?.plan(
            ready.flatMap(({ user, composed }) =>
              claimed.has(user.userId) && composed.kind === 'send'
                ? [
                    {
                      deliveryKey: reportKeyOf(user.userId, month),
                      userId: user.userId,
                      event: 'report' as const,
                      payload: reportEvent({
                        deliveryKey: reportKeyOf(user.userId, month),
                        month,
                        totals: composed.totals,
                        nowMs: now(),
                      }),
                    },
                  ]
                : [],
            ),
            workflowId,
            now(),
          );
          for (const { user, composed } of ready) {
            if (!claimed.has(user.userId)) {
              done[user.userId] = { outcome: 'skipped', reason: 'claimed_elsewhere' };
              continue;
            }
            const sending = deps.sendSlots(() => send(user, composed));
            // Awaited below; a failure meanwhile (cancellation) must not go unhandled.
            sending.catch(() => undefined);
            sends.push(sending);
          }
          ctx.heartbeat();
        }
        await Promise.all(sends);
        await writer.flush();
        const sent = Object.values(done).filter((d) => d.outcome === 'sent').length;
        deps.log?.info(
          { workflowId, users: request.users.length, sent, again: again.length },
          'report batch delivered',
        );
        const keys = request.users.map((u) => reportKeyOf(u.userId, month));
        const channels = deps.channels ? await channelWaits(deps.channels, keys, workflowId) : [];
        return channels.length ? { done, again, channels } : { done, again };
      } catch (err) {
        // What was sent before the failure is recorded if it can be: a retry would send it again otherwise.
        await Promise.allSettled(sends);
        await writer.flush().catch(() => undefined);
        throw err;
      } finally {
        clearInterval(beat);
      }
    },
  };
}

export type ReportDeliveryActivities = ReturnType<typeof createReportDelivery>;
