import { ApplicationFailure, TimeoutFailure, type ActivityFailure } from '@temporalio/workflow';
import type { MailFailureDetails } from '../src/temporal/contract';

/**
 * Attempts made and the last error of a mail activity that failed for good, from the failure its last attempt
 * attached (see activities/mail-failure.ts). The send may have ended on its schedule-to-close budget: either no
 * retry fitted in it (a long 429 Retry-After; retry state TIMEOUT) or the budget ran out during an attempt (a
 * TimeoutFailure whose cause is the previous attempt's failure, kept by src/temporal/failure-converter.ts).
 * The whole cause chain is searched.
 */
export function describeMailFailure(err: ActivityFailure): { attempts: number; error: string } {
  let timedOut: TimeoutFailure | undefined;
  for (let cause: Error | undefined = err.cause; cause; cause = (cause as { cause?: Error }).cause) {
    if (cause instanceof TimeoutFailure) timedOut ??= cause;
    if (cause instanceof ApplicationFailure) {
      const details = cause.details?.[0] as MailFailureDetails | undefined;
      const outOfTime = timedOut !== undefined || err.retryState === 'TIMEOUT';
      const error = outOfTime ? `${cause.message} (then the send's time budget ran out)` : cause.message;
      return { attempts: details?.attempt ?? 0, error };
    }
  }
  return { attempts: 0, error: err.cause?.message ?? err.message };
}
