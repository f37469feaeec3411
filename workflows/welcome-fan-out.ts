import { ParentClosePolicy, proxyActivities, startChild } from '@temporalio/workflow';
import type { WelcomeActivities } from '../activities/welcome-activities';
import { createIds, REMINDER_CHECK_PAGE_SIZE } from '../src/temporal/contract';
import type { PageResult } from './page-result';
import { DATABASE_RETRY } from './database-retry';
import { welcomeWorkflow } from './welcome.workflow';

const { listUnwelcomedUsers, markWelcomeStarted } = proxyActivities<WelcomeActivities>({
  startToCloseTimeout: '30s',
  retry: DATABASE_RETRY,
});

/**
 * Starts a welcome workflow for each user whose welcome was never started (registration could not reach
 * Temporal). Every start is awaited before the caller may continueAsNew; an existing one is counted.
 */
export async function startMissingWelcomes(idPrefix: string, afterId: number): Promise<PageResult> {
  const userIds = await listUnwelcomedUsers(afterId, REMINDER_CHECK_PAGE_SIZE);
  const ids = createIds(idPrefix);
  const starts = await Promise.allSettled(
    userIds.map((userId) =>
      startChild(welcomeWorkflow, {
        workflowId: ids.welcome(userId),
        args: [{ userId }],
        parentClosePolicy: ParentClosePolicy.ABANDON,
        workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
      }),
    ),
  );
  let started = 0;
  let alreadyRunning = 0;
  for (const start of starts) {
    if (start.status === 'fulfilled') started += 1;
    // By name: instanceof is unreliable across realms (Jest), and the name is the SDK's stable contract.
    else if ((start.reason as Error).name === 'WorkflowExecutionAlreadyStartedError') alreadyRunning += 1;
    else throw start.reason;
  }
  await markWelcomeStarted(userIds);
  return {
    cursor: userIds.length ? userIds[userIds.length - 1] : afterId,
    more: userIds.length === REMINDER_CHECK_PAGE_SIZE,
    counts: { welcomeStarted: started, welcomeAlreadyRunning: alreadyRunning },
  };
}
