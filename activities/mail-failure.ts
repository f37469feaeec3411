import { ApplicationFailure, Context } from '@temporalio/activity';
import type { MailFailureDetails } from '../src/temporal/contract';
import type { MailError, Mailer, MailMessage } from '../src/mail/mailer';

/** A delivered email: the provider's id and the attempt that delivered it. */
export interface MailDelivery {
  providerMessageId: string;
  attempts: number;
}

/**
 * Sends from inside an activity and turns a failure into the ApplicationFailure Temporal's retry policy
 * acts on. Shared by every mail activity (welcome, reminders, reports).
 */
export async function sendMailActivity(mailer: Mailer, message: MailMessage): Promise<MailDelivery> {
  const { attempt } = Context.current().info;
  try {
    const sent = await mailer.send(message);
    return { providerMessageId: sent.id, attempts: attempt };
  } catch (err) {
    throw toMailFailure(err, attempt);
  }
}

/** How a send failed, for retry decisions: `transient` ones are retried, after `retryAfterMs` when a 429 says. */
export interface MailFailureKind {
  transient: boolean;
  message: string;
  status?: number;
  retryAfterMs?: number;
}

/** Permanent MailError (a 4xx other than 429): not transient. Anything else (network, timeout, 5xx): transient. */
export function classifyMailError(err: unknown): MailFailureKind {
  const message = err instanceof Error ? err.message : String(err);
  if (!isMailError(err)) return { transient: true, message };
  const retryAfterMs =
    err.status === 429 && err.retryAfterSeconds !== undefined ? err.retryAfterSeconds * 1_000 : undefined;
  return { transient: err.transient, message, status: err.status, retryAfterMs };
}

/**
 * Permanent MailError: non-retryable. 429 with Retry-After: retried after exactly that delay. Anything
 * else: retried by the policy's backoff. Details carry the attempt, so a workflow can report it.
 */
export function toMailFailure(err: unknown, attempt: number): ApplicationFailure {
  const message = err instanceof Error ? err.message : String(err);
  if (!isMailError(err)) {
    const type = err instanceof Error ? err.name : 'Error';
    return ApplicationFailure.create({ message, type, details: [details(attempt)] });
  }
  if (!err.transient) {
    return ApplicationFailure.nonRetryable(message, 'MailPermanentError', details(attempt, err.status));
  }
  if (err.status === 429 && err.retryAfterSeconds !== undefined) {
    return ApplicationFailure.create({
      message,
      type: 'MailRateLimited',
      nextRetryDelay: `${err.retryAfterSeconds}s`,
      details: [details(attempt, err.status)],
    });
  }
  return ApplicationFailure.retryable(message, 'MailTransientError', details(attempt, err.status));
}

function details(attempt: number, status?: number): MailFailureDetails {
  return status === undefined ? { attempt } : { attempt, status };
}

// By name, not instanceof: the worker and a test file may load the mail module in different realms.
function isMailError(err: unknown): err is MailError {
  return (
    err instanceof Error && err.name === 'MailError' && typeof (err as MailError).transient === 'boolean'
  );
}
