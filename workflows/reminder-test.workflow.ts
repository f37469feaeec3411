import { ActivityFailure, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { ReminderActivities } from '../activities/reminder-activities';
import {
  MAIL_ACTIVITY_TIMEOUTS,
  MAIL_RETRY,
  type ReminderInput,
  type ReminderResult,
} from '../src/temporal/contract';
import { describeMailFailure } from './mail-failure';

const { prepareTestReminder } = proxyLocalActivities<ReminderActivities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', maximumInterval: '1m' },
});
const { sendReminder } = proxyActivities<ReminderActivities>({
  ...MAIL_ACTIVITY_TIMEOUTS,
  retry: MAIL_RETRY,
});

/**
 * A developer's test send of one reminder (POST /reminders/send-test), id `reminder-test-{subId}-{nonce}`: sent
 * at once to the caller, marked as a test, with no schedule checks and no log row (its key would block the real
 * reminder).
 */
export async function reminderTestWorkflow(input: ReminderInput): Promise<ReminderResult> {
  const prepared = await prepareTestReminder({ ...input, nowMs: Date.now() });
  if (prepared.kind === 'skip') return { outcome: 'skipped', reason: prepared.reason };
  try {
    const delivery = await sendReminder(prepared.message);
    return { outcome: 'sent', ...delivery, late: false };
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    return { outcome: 'failed', ...describeMailFailure(err) };
  }
}
