import type { Client } from '@temporalio/client';
import { UnavailableError } from '../errors';
import type { welcomeWorkflow } from '../../workflows/welcome.workflow';
import { WORKFLOW_TYPES, type WorkflowIds } from './contract';

export type WelcomeStartOutcome = 'started' | 'already_started';

/**
 * Starts `welcome-{userId}` under a short deadline. A completed or running welcome counts as
 * `already_started` (reuse policy ALLOW_DUPLICATE_FAILED_ONLY); no answer in time is UnavailableError, and
 * the reminder check starts the welcome later.
 */
export async function startWelcome(
  client: Client,
  ids: WorkflowIds,
  taskQueue: string,
  userId: number,
  { timeoutMs = 2000 }: { timeoutMs?: number } = {},
): Promise<WelcomeStartOutcome> {
  try {
    await client.withDeadline(Date.now() + timeoutMs, () =>
      client.workflow.start<typeof welcomeWorkflow>(WORKFLOW_TYPES.welcome, {
        taskQueue,
        workflowId: ids.welcome(userId),
        args: [{ userId }],
        workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
      }),
    );
    return 'started';
  } catch (err) {
    // Matched by name: Jest gives each test file its own realm, so instanceof is unreliable.
    if ((err as Error).name === 'WorkflowExecutionAlreadyStartedError') return 'already_started';
    throw Object.assign(new UnavailableError('temporal'), { cause: err });
  }
}
