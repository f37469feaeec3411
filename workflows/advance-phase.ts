import { DATABASE_RETRY } from './database-retry';
import { proxyActivities } from '@temporalio/workflow';
import type { ReminderActivities } from '../activities/reminder-activities';
import { REMINDER_CHECK_PAGE_SIZE } from '../src/temporal/contract';
import type { PageResult } from './page-result';

const { advanceDuePayments } = proxyActivities<ReminderActivities>({
  startToCloseTimeout: '2m',
  retry: DATABASE_RETRY,
});

/**
 * One page of the reminder check's advance step (before reminders, so a payment that came due is charged and
 * its missed reminders logged first): ledger rows and the next payment date of each due subscription.
 */
export async function advanceDuePage(afterId: number, nowMs: number): Promise<PageResult> {
  const page = await advanceDuePayments({ afterId, limit: REMINDER_CHECK_PAGE_SIZE, nowMs });
  return {
    cursor: page.cursor,
    more: page.more,
    counts: { subscriptionsAdvanced: page.advanced, chargesRecorded: page.charges },
  };
}
