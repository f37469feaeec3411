import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import { dynamicConfigArgs } from '../../src/temporal/dev-server';
import { createWorker } from '../../src/temporal/worker';
import type { ServerExecutable } from '../../src/temporal/tools';
import { testDataConverter, testPayloadCodec } from './payload-keys';

/** Test-side Temporal harness; global-setup.ts resolved the binaries and bundled the workflows. */

function executable(envVar: 'TEMPORAL_CLI_PATH' | 'TEMPORAL_TEST_SERVER_PATH'): ServerExecutable {
  const file = process.env[envVar];
  // Unset only when global setup chose the SDK's download (a machine with internet and no local build).
  return file ? { type: 'existing-path', path: file } : { type: 'cached-download' };
}

let runtimeInstalled = false;
/** Worker and server logs at WARN: INFO lines for every worker state change drown test output. */
function quietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // Already installed by an earlier file in this Jest worker: keep it.
  }
}

/** Worker and server logs at WARN, for tests that run their own server (ensureDevServer) and workers. */
export function quietTemporalLogs(): void {
  quietRuntime();
}

/**
 * A fresh time-skipping test server (time skipping is global to it: one per test file). Its client carries the
 * test payload codec, as the workers of startWorker do: histories hold ciphertext, as in production.
 */
export function startTimeSkipping(): Promise<TestWorkflowEnvironment> {
  quietRuntime();
  return withStartRetries(() =>
    TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: executable('TEMPORAL_TEST_SERVER_PATH') },
      client: { dataConverter: testDataConverter() },
    }),
  );
}

/**
 * A fresh CLI dev server on a random port, in-memory, for schedules and end-to-end tests; the codec as above.
 * With TEST_TEMPORAL_ADDRESS set, the server already answering there instead (scripts/temporal-server.sh's real
 * server on PostgreSQL, in CI): teardown then only closes the connections. Ids and task queues are unique per
 * file, so files can share it.
 */
export function startDevServer(): Promise<TestWorkflowEnvironment> {
  quietRuntime();
  const existing = process.env.TEST_TEMPORAL_ADDRESS;
  if (existing) {
    return TestWorkflowEnvironment.createFromExistingServer({
      address: existing,
      client: { dataConverter: testDataConverter() },
    });
  }
  return withStartRetries(() =>
    TestWorkflowEnvironment.createLocal({
      server: {
        executable: executable('TEMPORAL_CLI_PATH'),
        ip: '127.0.0.1',
        extraArgs: dynamicConfigArgs(),
      },
      client: { dataConverter: testDataConverter() },
    }),
  );
}

/**
 * The SDK gives an ephemeral server 5 s to answer. On a loaded two-core machine a JVM start can miss that
 * window; a second try (files and classes now in the page cache) makes it. Other errors are thrown at once.
 */
async function withStartRetries<T>(start: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await start();
    } catch (err) {
      const message = String((err as Error)?.message);
      if (!/timed? ?out|deadline|did not start|connect/i.test(message) || attempt >= attempts) throw err;
      console.warn(`[temporal] ephemeral server did not start (${message}); retrying`);
    }
  }
}

/** The workflow bundle built once by global setup. */
export function workflowBundle(): { codePath: string } {
  const codePath = process.env.WORKFLOW_BUNDLE_PATH;
  if (!codePath) throw new Error('WORKFLOW_BUNDLE_PATH is unset: run the tests through Jest (global setup)');
  return { codePath };
}

/** A worker on `env` running the bundled workflows and the given activities, with the test payload codec. */
export function startWorker(
  env: TestWorkflowEnvironment,
  taskQueue: string,
  activities: object,
): Promise<Worker> {
  return createWorker({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue,
    activities,
    payloadCodec: testPayloadCodec(),
    workflowBundle: workflowBundle(),
  });
}

/** Workers polling one task queue, run and shut down together. */
export interface WorkerGroup {
  workers: Worker[];
  /** Runs every worker; resolves once all have stopped and their own connections are closed. */
  run(): Promise<void>;
  shutdown(): void;
}

/**
 * TEST_TEMPORAL_WORKERS (default 1) workers on `taskQueue` with the same activities; each one after the first
 * on a connection of its own, as separate worker processes would be, so tasks are shared out between them.
 */
export async function startWorkers(
  env: TestWorkflowEnvironment,
  taskQueue: string,
  activities: object,
): Promise<WorkerGroup> {
  const count = Math.max(1, Number(process.env.TEST_TEMPORAL_WORKERS ?? 1));
  const connections: NativeConnection[] = [];
  const workers: Worker[] = [];
  for (let i = 0; i < count; i += 1) {
    const connection =
      i === 0 ? env.nativeConnection : await NativeConnection.connect({ address: env.address });
    if (i > 0) connections.push(connection);
    workers.push(
      await createWorker({
        connection,
        namespace: env.namespace ?? 'default',
        taskQueue,
        activities,
        payloadCodec: testPayloadCodec(),
        workflowBundle: workflowBundle(),
        // Distinct, so the task queue's pollers list each worker of this process.
        identity: `${process.pid}@test-worker-${i + 1}`,
      }),
    );
  }
  return {
    workers,
    async run() {
      try {
        await Promise.all(workers.map((w) => w.run()));
      } finally {
        await Promise.all(connections.map((c) => c.close()));
      }
    },
    shutdown() {
      for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
    },
  };
}

let counter = 0;

/** A workflow-id prefix no other test file or run uses (auto-increment ids repeat across test databases). */
export function uniquePrefix(label = 't'): string {
  counter += 1;
  return `${label}-${process.pid}-${Date.now().toString(36)}-${counter}-`;
}

/** A task queue of its own, so no other file's worker picks up this file's tasks. */
export function uniqueTaskQueue(label = 'tq'): string {
  return uniquePrefix(label).slice(0, -1);
}
