import { proxyActivities, sleep } from '@temporalio/workflow';

/** Sleeps `ms` of workflow time: proves the time-skipping server jumps instead of waiting. */
export async function sleepWorkflow(ms: number): Promise<number> {
  await sleep(ms);
  return ms;
}

const { failWithDetails } = proxyActivities<{ failWithDetails(): Promise<void> }>({
  startToCloseTimeout: '10 seconds',
  retry: { maximumAttempts: 1 },
});

/** Runs an activity that fails quoting personal data: proves failure messages reach Temporal encrypted. */
export async function failingActivityWorkflow(): Promise<void> {
  await failWithDetails();
}
