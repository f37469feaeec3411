import type { Client } from '@temporalio/client';
import { UnavailableError } from '../../src/errors';
import { createTemporal } from '../../src/temporal/client';
import {
  START_DEADLINE_MS,
  TemporalUnavailableError,
  startWorkflow,
} from '../../src/temporal/start-workflow';
import { testPayloadCodec } from '../helpers/payload-keys';
import { silentTemporal } from '../helpers/silent-server';

/** A client whose start does what `start` says, recording the deadline and the start's arguments. */
function fakeClient(start: () => Promise<unknown>) {
  const calls: { deadline: number; type: string; options: unknown }[] = [];
  const client = {
    withDeadline: <T>(deadline: number, fn: () => Promise<T>) => {
      calls.push({ deadline, type: '', options: undefined });
      return fn();
    },
    workflow: {
      start: (type: string, options: unknown) => {
        Object.assign(calls[calls.length - 1]!, { type, options });
        return start();
      },
    },
  };
  return { client: client as unknown as Client, calls };
}

describe('startWorkflow', () => {
  it('starts the workflow type with the options under the default deadline', async () => {
    const { client, calls } = fakeClient(() => Promise.resolve({}));
    const before = Date.now();
    const options = { taskQueue: 'q', workflowId: 'w-1', args: [{ userId: 1 }] };
    expect(await startWorkflow(client, 'welcomeWorkflow', options)).toBe('started');
    expect(calls).toEqual([{ deadline: expect.any(Number), type: 'welcomeWorkflow', options }]);
    expect(calls[0]!.deadline).toBeGreaterThanOrEqual(before + START_DEADLINE_MS);
    expect(calls[0]!.deadline).toBeLessThanOrEqual(Date.now() + START_DEADLINE_MS);
  });

  it('uses the deadline it is given', async () => {
    const { client, calls } = fakeClient(() => Promise.resolve({}));
    const before = Date.now();
    await startWorkflow(client, 'x', { taskQueue: 'q', workflowId: 'w' }, { deadlineMs: 250 });
    expect(calls[0]!.deadline).toBeGreaterThanOrEqual(before + 250);
    expect(calls[0]!.deadline).toBeLessThan(before + START_DEADLINE_MS);
  });

  it('reports an id already taken as already_started instead of failing', async () => {
    const taken = Object.assign(new Error('Workflow execution already started'), {
      name: 'WorkflowExecutionAlreadyStartedError',
    });
    const { client } = fakeClient(() => Promise.reject(taken));
    expect(await startWorkflow(client, 'x', { taskQueue: 'q', workflowId: 'w' })).toBe('already_started');
  });

  it('turns any other failure into TemporalUnavailableError carrying the cause', async () => {
    const cause = new Error('14 UNAVAILABLE: connection refused');
    const { client } = fakeClient(() => Promise.reject(cause));
    const err = await startWorkflow(client, 'x', { taskQueue: 'q', workflowId: 'w' }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(TemporalUnavailableError);
    expect(err).toBeInstanceOf(UnavailableError);
    expect(err).toMatchObject({
      kind: 'unavailable',
      code: 'service_unavailable',
      dependency: 'temporal',
      cause,
    });
  });

  it('gives up at the deadline when Temporal accepts the connection but never answers', async () => {
    const silent = await silentTemporal();
    const temporal = createTemporal({
      address: silent.address,
      namespace: 'default',
      payloadCodec: testPayloadCodec(),
    });
    try {
      const started = Date.now();
      await expect(
        startWorkflow(temporal.client, 'x', { taskQueue: 'q', workflowId: 'w' }, { deadlineMs: 300 }),
      ).rejects.toBeInstanceOf(TemporalUnavailableError);
      const elapsed = Date.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(250);
      // Generous against a loaded machine; without the deadline the start would hang for good.
      expect(elapsed).toBeLessThan(10_000);
    } finally {
      await temporal.close();
      await silent.close();
    }
  });
});
