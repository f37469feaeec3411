import { ActivityFailure, ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { WelcomeActivities } from '../activities/welcome-activities';
import {
  MAIL_ACTIVITY_TIMEOUTS,
  MAIL_RETRY,
  type MailFailureDetails,
  type WelcomeInput,
  type WelcomeResult,
} from '../src/temporal/contract';
import { DATABASE_RETRY } from './database-retry';

const { prepareWelcome } = proxyActivities<WelcomeActivities>({
  startToCloseTimeout: '30s',
  retry: DATABASE_RETRY,
});
const { sendWelcome } = proxyActivities<WelcomeActivities>({ ...MAIL_ACTIVITY_TIMEOUTS, retry: MAIL_RETRY });

/** Sends the welcome email (with the verification link) once per user; the id is `welcome-{userId}`. */
export async function welcomeWorkflow({ userId }: WelcomeInput): Promise<WelcomeResult> {
  const prepared = await prepareWelcome(userId);
  if (prepared.kind === 'skip') return { outcome: 'skipped', reason: prepared.reason };
  try {
    const delivery = await sendWelcome(prepared.message);
    return { outcome: 'sent', ...delivery };
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    return { outcome: 'failed', ...describeMailFailure(err) };
  }
}

/** Attempts made and the last error, from the failure the mail activity attached (see mail-failure.ts). */
export function describeMailFailure(err: ActivityFailure): { attempts: number; error: string } {
  const cause = err.cause;
  const details =
    cause instanceof ApplicationFailure ? (cause.details?.[0] as MailFailureDetails | undefined) : undefined;
  return { attempts: details?.attempt ?? 0, error: cause?.message ?? err.message };
}
