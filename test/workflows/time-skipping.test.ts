import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { startTimeSkipping, startWorker, uniquePrefix, uniqueTaskQueue } from '../helpers/temporal';

const DAY_MS = 24 * 60 * 60 * 1000;

describe('time-skipping test server', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await startTimeSkipping();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it('runs a 30-day sleep in seconds of wall time while server time advances 30 days', async () => {
    const taskQueue = uniqueTaskQueue();
    const worker = await startWorker(env, taskQueue, {});
    const serverStart = await env.currentTimeMs();
    const wallStart = Date.now();

    const slept = await worker.runUntil(
      env.client.workflow.execute('sleepWorkflow', {
        taskQueue,
        workflowId: `${uniquePrefix()}sleep`,
        args: [30 * DAY_MS],
      }),
    );

    expect(slept).toBe(30 * DAY_MS);
    expect(Date.now() - wallStart).toBeLessThan(10_000);
    expect((await env.currentTimeMs()) - serverStart).toBeGreaterThanOrEqual(30 * DAY_MS);
  });
});
