import type { Client } from '@temporalio/client';
import type { welcomeWorkflow } from '../../workflows/welcome.workflow';
import { WORKFLOW_TYPES, type WorkflowIds } from './contract';
import { startWorkflow, type StartOutcome } from './start-workflow';

/**
 * Starts `welcome-{userId}` under a short deadline. A completed or running welcome counts as
 * `already_started` (reuse policy ALLOW_DUPLICATE_FAILED_ONLY); no answer in time is
 * TemporalUnavailableError, and the reminder check starts the welcome later.
 */
export function startWelcome(
  client: Client,
  ids: WorkflowIds,
  taskQueue: string,
  userId: number,
  { timeoutMs }: { timeoutMs?: number } = {},
): Promise<StartOutcome> {
  return startWorkflow<typeof welcomeWorkflow>(
    client,
    WORKFLOW_TYPES.welcome,
    {
      taskQueue,
      workflowId: ids.welcome(userId),
      args: [{ userId }],
      workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
    },
    { deadlineMs: timeoutMs },
  );
}
