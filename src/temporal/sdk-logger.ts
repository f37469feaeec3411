import { DefaultLogger, type LogEntry } from '@temporalio/worker';
import type { Logger } from '../logger';

const LEVELS = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const;

/**
 * The Temporal SDK's log lines (worker state, the workflow bundler, core) through our pino logger, so the dev
 * console shows one format. The bundler's webpack report (dozens of lines on every start) goes to debug: it
 * shows with LOG_LEVEL=debug, or when the bundle fails (the SDK logs that as an error).
 */
export function createSdkLogger(logger: Logger): DefaultLogger {
  const sdk = logger.child({ component: 'temporal-sdk' });
  return new DefaultLogger('TRACE', (entry: LogEntry) => {
    const level = isBundlerReport(entry) ? 'debug' : LEVELS[entry.level];
    sdk[level](entry.meta ?? {}, entry.message);
  });
}

function isBundlerReport(entry: LogEntry): boolean {
  return entry.level === 'INFO' && /\bwebpack [\d.]+ compiled\b/.test(entry.message);
}
