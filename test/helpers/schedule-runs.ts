import type { Client, ScheduleHandle, ScheduleOverlapPolicy } from '@temporalio/client';

/** Polls `probe` until it returns a value; the error names `what` so a CI timeout says which wait it was. */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs = 20_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Triggers the schedule and returns the result of the run that trigger started, following continueAsNew.
 * The run is identified by `numActionsTaken` (recentActions is capped) and awaited by its first run id.
 */
export async function triggerAndAwaitRun<T = unknown>(
  client: Client,
  schedule: ScheduleHandle,
  overlap: ScheduleOverlapPolicy = 'ALLOW_ALL',
): Promise<T> {
  const before = (await schedule.describe()).info.numActionsTaken;
  await schedule.trigger(overlap);
  const action = await eventually(
    async () => {
      const { info } = await schedule.describe();
      return info.numActionsTaken > before ? info.recentActions.at(-1) : undefined;
    },
    30_000,
    'the triggered schedule run to start',
  );
  const { workflowId, firstExecutionRunId } = action.action.workflow;
  return client.workflow.getHandle(workflowId, undefined, { firstExecutionRunId }).result() as Promise<T>;
}
