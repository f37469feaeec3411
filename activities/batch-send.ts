/** What the batch deliveries (reminders, reports) share: the send pool, the 429 pause, the retry plan. */
import { msToNumber } from '@temporalio/common';
import { MAIL_RETRY } from '../src/temporal/contract';
import type { MailFailureKind } from './mail-failure';

/** Runs a send when a slot of the worker's bounded pool is free (p-limit's shape). */
export type SendSlots = <T>(send: () => Promise<T>) => Promise<T>;

/**
 * Until when (server time) a 429 asked this worker to stop sending: Mailgun's limits are per account, so every
 * batch of the worker waits it out, not only the one that met it.
 */
export interface MailPause {
  untilMs: number;
}

/**
 * Sent but not yet recorded, at most this many per batch. With the sends in flight (MAIL_CONCURRENCY at most),
 * this bounds what a worker dying now could send twice; group commit keeps the backlog under it at the
 * pipeline benchmark's rates (bench/RESULTS.md).
 */
export const MAX_UNLOGGED = 16;

/** MAIL_RETRY in milliseconds, with its time budget: the sends' and the channel deliveries' retry plan. */
export const RETRY = {
  initialMs: msToNumber(MAIL_RETRY.initialInterval),
  maxMs: msToNumber(MAIL_RETRY.maximumInterval),
  coefficient: MAIL_RETRY.backoffCoefficient,
  attempts: MAIL_RETRY.maximumAttempts,
  /** Retries stop this long after the first attempt (as a mail activity's schedule-to-close). */
  budgetMs: 2 * 3_600_000,
};

/**
 * After a failed send (attempt `attempts`): when to try again (MAIL_RETRY's backoff, or a 429's Retry-After,
 * which pauses the worker's other sends too), or that retrying is over (permanent failure, MAIL_RETRY's
 * attempts, two hours since the first attempt, or `deadlineMs` reached).
 */
export function planRetry(options: {
  failure: MailFailureKind;
  attempts: number;
  firstAttemptMs: number;
  nowMs: number;
  deadlineMs?: number;
  pause: MailPause;
}): { exhausted: boolean; nextMs: number } {
  const { failure, attempts, firstAttemptMs, nowMs, pause } = options;
  let nextMs = nowMs + Math.min(RETRY.initialMs * RETRY.coefficient ** (attempts - 1), RETRY.maxMs);
  if (failure.retryAfterMs !== undefined) {
    nextMs = nowMs + failure.retryAfterMs;
    pause.untilMs = Math.max(pause.untilMs, nextMs);
  }
  const exhausted =
    !failure.transient ||
    attempts >= RETRY.attempts ||
    nextMs >= (options.deadlineMs ?? Infinity) ||
    nextMs - firstAttemptMs > RETRY.budgetMs;
  return { exhausted, nextMs };
}
