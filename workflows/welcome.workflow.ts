import { ActivityFailure, proxyActivities } from '@temporalio/workflow';
import type { WelcomeActivities } from '../activities/welcome-activities';
import {
  MAIL_ACTIVITY_TIMEOUTS,
  MAIL_RETRY,
  type WelcomeInput,
  type WelcomeResult,
} from '../src/temporal/contract';
import { DATABASE_RETRY } from './database-retry';
import { describeMailFailure } from './mail-failure';

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
