import { msToNumber } from '@temporalio/common';
import type { ChannelAttempt } from '../src/channels/channel-sender';
import { MAIL_RETRY } from '../src/temporal/contract';

/** Channel deliveries retry as the mail does (MAIL_RETRY), each on its own clock: one channel never waits on another. */
const RETRY = {
  initialMs: msToNumber(MAIL_RETRY.initialInterval),
  maxMs: msToNumber(MAIL_RETRY.maximumInterval),
  coefficient: MAIL_RETRY.backoffCoefficient,
  attempts: MAIL_RETRY.maximumAttempts,
  /** Retries stop this long after the first attempt. */
  budgetMs: 2 * 3_600_000,
};

/**
 * After attempt number `attempts` failed: when to try again (backoff, or the provider's Retry-After), or that the
 * delivery has failed for good (a permanent answer, MAIL_RETRY's attempts, or two hours since the first attempt).
 */
export function planChannelRetry(
  attempt: Exclude<ChannelAttempt, { kind: 'sent' }>,
  attempts: number,
  firstAttemptMs: number,
  nowMs: number,
): { exhausted: boolean; nextMs: number } {
  const backoff = Math.min(RETRY.initialMs * RETRY.coefficient ** (attempts - 1), RETRY.maxMs);
  const nextMs =
    nowMs + (attempt.kind === 'retry' && attempt.retryAfterMs !== undefined ? attempt.retryAfterMs : backoff);
  const exhausted =
    attempt.kind === 'permanent' || attempts >= RETRY.attempts || nextMs - firstAttemptMs > RETRY.budgetMs;
  return { exhausted, nextMs };
}
