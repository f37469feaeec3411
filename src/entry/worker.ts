import 'reflect-metadata';
import { NativeConnection } from '@temporalio/worker';
import { loadConfig } from '../config';
import { createLogger } from '../logger';
import { createRuntime } from '../runtime';
import { createWorker } from '../temporal/worker';
import { createWorkerActivities } from '../worker-activities';
import { installFatalHandlers, runEntry } from './run-entry';

/**
 * Production worker entry. Scale out by running more of these. The Temporal runtime turns SIGINT/SIGTERM
 * into a graceful shutdown: no new tasks, in-flight activities finish, then `run()` resolves.
 */
async function main() {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, 'subtracker-worker');
  installFatalHandlers(logger);
  if (!config.temporal.address)
    throw new Error('TEMPORAL_ADDRESS: must be set for the worker (npm run dev embeds one)');
  const runtime = createRuntime(config, logger);
  const connection = await NativeConnection.connect({ address: config.temporal.address });
  const worker = await createWorker({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    activities: createWorkerActivities(runtime),
    payloadCodec: runtime.temporal.payloadCodec,
    maxCachedWorkflows: config.temporal.maxCachedWorkflows,
  });
  logger.info({ taskQueue: config.temporal.taskQueue }, 'worker running');
  try {
    await worker.run();
  } finally {
    await connection.close();
    await runtime.close();
    logger.info('worker stopped');
  }
}

runEntry('subtracker-worker', main);
