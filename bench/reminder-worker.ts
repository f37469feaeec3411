/**
 * A worker process for the reminder benchmark and crash test: the production wiring (runtime, real activities,
 * mailgun.js) configured from the environment the harness passes, running a prebuilt workflow bundle.
 * It prints `ready` once polling, and its peak RSS on SIGTERM. It stops when its stdin closes: a harness that
 * dies (killed, crashed) takes its workers with it instead of leaving them polling.
 */
import 'reflect-metadata';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/logger';
import { createRuntime } from '../src/runtime';
import { createRuntimeWorker } from '../src/runtime-worker';
import { installFatalHandlers, runEntry } from '../src/entry/run-entry';

async function main() {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const config = loadConfig(process.env);
  const logger = createLogger(config.logLevel, 'bench-worker');
  installFatalHandlers(logger);
  const runtime = createRuntime(config, logger);
  const { worker, connection } = await createRuntimeWorker(runtime, {
    address: config.temporal.address!,
    workflowBundle: { codePath: process.env.WORKFLOW_BUNDLE_PATH! },
  });
  const running = worker.run();
  process.stdin
    .on('end', () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
    })
    .resume();
  process.stdout.write('ready\n');
  await running;
  process.stdin.destroy();
  await connection.close();
  await runtime.close();
}

runEntry('bench-worker', main);
