import type { PayloadCodec } from '@temporalio/common';
import { FAILURE_CONVERTER_PATH } from './failure-converter-path';
import { Worker, type NativeConnection, type WorkflowBundleOption } from '@temporalio/worker';

export interface CreateWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  activities: object;
  /** The payload codec of the clients (runtime.temporal.payloadCodec): the worker reads and writes ciphertext. */
  payloadCodec: PayloadCodec;
  /** Prebuilt workflow code (tests bundle once per run); wins over workflowsPath. */
  workflowBundle?: WorkflowBundleOption;
  /** Workflow sources to bundle at start-up (default: the project's `workflows/`). */
  workflowsPath?: string;
  /** Workflow runs kept in memory (config WORKER_MAX_CACHED_WORKFLOWS); unset: the SDK's default. */
  maxCachedWorkflows?: number;
  /** How the server lists this worker among a task queue's pollers; unset: the SDK's pid@host. */
  identity?: string;
}

/** A worker for SubTracker's workflows and the given activities; the caller runs and shuts it down. */
export function createWorker(opts: CreateWorkerOptions): Promise<Worker> {
  const workflows = opts.workflowBundle
    ? { workflowBundle: opts.workflowBundle }
    : { workflowsPath: opts.workflowsPath ?? require.resolve('../../workflows') };
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    activities: opts.activities,
    // A prebuilt workflowBundle must have been bundled with the same failureConverterPath.
    dataConverter: { payloadCodecs: [opts.payloadCodec], failureConverterPath: FAILURE_CONVERTER_PATH },
    ...(opts.maxCachedWorkflows === undefined ? {} : { maxCachedWorkflows: opts.maxCachedWorkflows }),
    ...(opts.identity === undefined ? {} : { identity: opts.identity }),
    ...workflows,
  });
}
