import 'reflect-metadata';
import cluster from 'node:cluster';
import { once } from 'node:events';
import { loadConfig } from '../config';
import { createLogger, type Logger } from '../logger';
import { createRuntime } from '../runtime';
import { warmUp } from '../http/warm-up';
import { installFatalHandlers, runEntry } from './run-entry';
import { onShutdown } from './shutdown';

const SHUTDOWN = 'subtracker:shutdown';

/**
 * Production API entry: serves HTTP; the worker runs in its own process (src/entry/worker.ts).
 * With API_WORKERS > 1 this process only forks that many API processes sharing the port (node:cluster).
 */
async function main() {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, 'subtracker-api');
  installFatalHandlers(logger);
  if (config.apiWorkers > 1 && cluster.isPrimary) return runPrimary(config.apiWorkers, logger);
  const runtime = createRuntime(config, logger);
  await runtime.ready();
  const app = runtime.createApp();
  await warmUp(app);
  const server = app.listen(config.port, config.host);
  await once(server, 'listening');
  server.keepAliveTimeout = 65_000;
  logger.info({ port: config.port }, 'API listening');
  let stopped: Promise<void> | undefined;
  // Stop taking connections, let in-flight requests finish, then close the clients.
  const stop = () =>
    (stopped ??= (async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await runtime.close();
    })());
  onShutdown(logger, stop);
  // Under a primary: its shutdown message works like the first signal (a signal may come too).
  process.on('message', (message) => {
    if (message === SHUTDOWN) void stop().then(() => process.exit(0));
  });
}

/** Forks `count` API processes and restarts one that dies; a signal stops them all gracefully. */
function runPrimary(count: number, logger: Logger): void {
  let stopping = false;
  let alive = 0;
  const fork = () => {
    alive += 1;
    cluster.fork();
  };
  cluster.on('exit', (worker, code, signal) => {
    alive -= 1;
    if (stopping) {
      if (alive === 0) process.exit(0);
      return;
    }
    logger.error({ pid: worker.process.pid, code, signal }, 'API process died; starting another');
    setTimeout(fork, 1000);
  });
  const stop = (signal: NodeJS.Signals) => {
    const workers = Object.values(cluster.workers ?? {});
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      for (const worker of workers) worker?.process.kill('SIGKILL');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down the API processes');
    if (alive === 0) process.exit(0);
    for (const worker of workers) {
      try {
        worker?.send(SHUTDOWN);
      } catch {
        // Exiting already.
      }
    }
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  for (let i = 0; i < count; i++) fork();
  logger.info({ processes: count }, 'API primary started');
}

runEntry('subtracker-api', main);
