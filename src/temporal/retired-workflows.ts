import type { Client } from '@temporalio/client';

/**
 * Workflow types that workers no longer register. An open run of one would fail its workflow task on every
 * attempt, forever; `npm run schedules:apply` and `npm run dev` terminate them. `reminderWorkflow`: one run per
 * reminder, replaced by reminder batches (the batch migration lets the check list their reminders again).
 */
export const RETIRED_WORKFLOW_TYPES = ['reminderWorkflow'] as const;

/** Terminates the open runs of retired types whose ids carry `idPrefix`; returns how many. */
export async function terminateRetiredRuns(client: Client, idPrefix: string): Promise<number> {
  const ofPrefix = idPrefix ? ` AND WorkflowId STARTS_WITH '${idPrefix.replace(/'/g, "''")}'` : '';
  let terminated = 0;
  for (const type of RETIRED_WORKFLOW_TYPES) {
    const query = `WorkflowType = '${type}' AND ExecutionStatus = 'Running'${ofPrefix}`;
    for await (const run of client.workflow.list({ query })) {
      try {
        await client.workflow
          .getHandle(run.workflowId, run.runId)
          .terminate(`${type} is retired: reminders are delivered by batch workflows`);
        terminated += 1;
      } catch (err) {
        // Closed since it was listed.
        if ((err as Error).name !== 'WorkflowNotFoundError') throw err;
      }
    }
  }
  return terminated;
}
