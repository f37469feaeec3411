import { DATABASE_RETRY } from './database-retry';
import { proxyActivities } from '@temporalio/workflow';
import type { HousekeepingActivities } from '../activities/housekeeping-activities';
import { PRUNE_PAGE_SIZE } from '../src/temporal/contract';
import type { PageResult } from './page-result';

const { pruneExpired } = proxyActivities<HousekeepingActivities>({
  startToCloseTimeout: '2m',
  retry: DATABASE_RETRY,
});

/** One page of the reminder check's last step: deletes what nothing reads any more (deletes need no cursor). */
export async function prunePage(nowMs: number): Promise<PageResult> {
  const page = await pruneExpired({ nowMs, limit: PRUNE_PAGE_SIZE });
  return {
    cursor: 0,
    more: page.more,
    counts: { reminderStartsPruned: page.reminderStarts, sessionsPruned: page.sessions },
  };
}
