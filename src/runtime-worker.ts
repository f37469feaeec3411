import { NativeConnection, type Worker, type WorkflowBundleOption } from '@temporalio/worker';
import type { Runtime } from './runtime';
import { createWorker } from './temporal/worker';
import { createWorkerActivities } from './worker-activities';

/** A worker built from the runtime, with the native connection it owns. */
export interface RuntimeWorker {
  worker: Worker;
  connection: NativeConnection;
}

/**
 * The one worker factory of the entries (worker, dev, bench worker): a native connection to `address`, the
 * runtime's namespace, task queue, codec and cache size, and the real activities wired to the runtime. The
 * caller runs the worker and closes the connection once `run()` has resolved.
 */
export async function createRuntimeWorker(
  runtime: Pick<Runtime, 'config' | 'db' | 'mailer' | 'logger' | 'temporal'>,
  { address, workflowBundle }: { address: string; workflowBundle?: WorkflowBundleOption },
): Promise<RuntimeWorker> {
  const { temporal } = runtime.config;
  const connection = await NativeConnection.connect({ address });
  try {
    const worker = await createWorker({
      connection,
      namespace: temporal.namespace,
      taskQueue: temporal.taskQueue,
      activities: createWorkerActivities(runtime),
      payloadCodec: runtime.temporal.payloadCodec,
      maxCachedWorkflows: temporal.maxCachedWorkflows,
      ...(workflowBundle ? { workflowBundle } : {}),
    });
    return { worker, connection };
  } catch (err) {
    await connection.close();
    throw err;
  }
}
