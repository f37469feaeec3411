import type { ChannelAttempt } from '../src/channels/channel-sender';
import { RETRY } from './batch-send';

// Channel deliveries retry as the mail does (MAIL_RETRY), each on its own clock: one channel never waits on another.

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
