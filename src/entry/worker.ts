import 'reflect-metadata';
import { loadConfig } from '../config';
import { createLogger } from '../logger';
import { createRuntime } from '../runtime';
import { createRuntimeWorker } from '../runtime-worker';
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
  const { worker, connection } = await createRuntimeWorker(runtime, { address: config.temporal.address });
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
