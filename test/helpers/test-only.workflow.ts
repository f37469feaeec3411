import { sleep } from '@temporalio/workflow';

/** Sleeps `ms` of workflow time: proves the time-skipping server jumps instead of waiting. */
export async function sleepWorkflow(ms: number): Promise<number> {
  await sleep(ms);
  return ms;
}
