import { Client, WorkflowFailedError } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { startTimeSkipping, startWorker, uniquePrefix, uniqueTaskQueue } from '../helpers/temporal';

/**
 * Failure messages and stack traces are encoded attributes, encrypted by the payload codec: an error quoting
 * an address (a duplicate-key error, a provider's answer) is not readable in the history either.
 */
describe('failures in histories (time skipping, codec on worker and client)', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await startTimeSkipping();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it('an activity failure quoting an address is readable through the codec and nowhere in the raw history', async () => {
    const taskQueue = uniqueTaskQueue();
    const workflowId = `${uniquePrefix('fail')}cipher`;
    const message = 'Mailgun answered 400: to failing.owner@example.com is not a valid address';
    const worker = await startWorker(env, taskQueue, {
      failWithDetails: async () => {
        throw ApplicationFailure.nonRetryable(message, 'MailPermanentError');
      },
    });

    const error = await worker
      .runUntil(env.client.workflow.execute('failingActivityWorkflow', { taskQueue, workflowId }))
      .catch((err: unknown) => err);
    expect(error).toBeInstanceOf(WorkflowFailedError);
    const cause = (error as WorkflowFailedError).cause;
    expect(cause).toBeInstanceOf(ActivityFailure);
    expect((cause as ActivityFailure).cause?.message).toBe(message);

    const plain = new Client({ connection: env.connection, namespace: env.namespace });
    const history = await plain.workflow.getHandle(workflowId).fetchHistory();
    const raw = Buffer.from(temporal.api.history.v1.History.encode(history).finish());
    expect(raw.includes('failing.owner')).toBe(false);
    expect(raw.includes('example.com')).toBe(false);
    expect(raw.includes('Encoded failure')).toBe(true);
  });
});
