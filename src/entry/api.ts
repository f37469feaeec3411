import 'reflect-metadata';
import { once } from 'node:events';
import { loadConfig } from '../config';
import { createLogger } from '../logger';
import { createRuntime } from '../runtime';
import { onShutdown } from './shutdown';

/** Production API entry: serves HTTP; the worker runs in its own process (src/entry/worker.ts). */
async function main() {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, 'subtracker-api');
  const runtime = createRuntime(config, logger);
  const server = runtime.createApp().listen(config.port, config.host);
  await once(server, 'listening');
  server.keepAliveTimeout = 65_000;
  logger.info({ port: config.port }, 'API listening');
  onShutdown(logger, async () => {
    // Stop taking connections, let in-flight requests finish, then close the clients.
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await runtime.close();
  });
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
