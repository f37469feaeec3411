import { createLogger, type Logger } from '../logger';

/*
 * How every entry point (src/entry/*, the bench worker) runs and fails, one convention for all:
 * - an unhandled promise rejection or an uncaught exception is fatal: logged at `fatal` level by the entry's
 *   logger, then exit code 1 at once (the process's state is unknown, so it does not linger; a supervisor or
 *   the caller starts another);
 * - `main` rejecting is exit code 1 too, once the error is logged by the entry's logger or, when the entry
 *   failed before it had one (invalid config, a command-line usage error), printed readably on stderr;
 * - success is the process ending on its own, or `process.exit(0)` after a graceful shutdown.
 */

/** Where fatal lines go; `configured` once the entry has handed over the logger it built from its config. */
const fatal: { logger?: Logger; configured: boolean; installed: boolean } = {
  configured: false,
  installed: false,
};

/** Makes `logger` the one fatal errors go to and installs the fatal handlers (once per process). */
export function installFatalHandlers(logger: Logger): void {
  fatal.logger = logger;
  fatal.configured = true;
  if (fatal.installed) return;
  fatal.installed = true;
  process.on('unhandledRejection', (reason) => exitFatally(reason, 'unhandled promise rejection'));
  process.on('uncaughtException', (err) => exitFatally(err, 'uncaught exception'));
}

/** Logs `err` at fatal level and ends the process with exit code 1 (pino flushes its buffer on exit). */
export function exitFatally(err: unknown, message: string): never {
  (fatal.logger ??= createLogger('info')).fatal({ err }, message);
  process.exit(1);
}

/**
 * Runs an entry's `main` under the convention above. Until `main` calls `installFatalHandlers` with its own
 * logger, fatal lines go to a default one named `name`.
 */
export function runEntry(name: string, main: () => Promise<void>): void {
  installFatalHandlers(createLogger('info', name));
  fatal.configured = false;
  main().catch((err: unknown) => {
    if (fatal.configured) exitFatally(err, `${name} failed`);
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
