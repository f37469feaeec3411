/**
 * A test-only entry point run by test/unit/entry-fatal.test.ts: an entry wired like src/entry/* (runEntry, then
 * installFatalHandlers with its logger) that fails the way argv[2] says.
 */
import { createLogger } from '../../src/logger';
import { installFatalHandlers, runEntry } from '../../src/entry/run-entry';

const mode = process.argv[2];

async function main(): Promise<void> {
  if (mode === 'before-logger') throw new Error('TEST_SETTING: must be a number');
  installFatalHandlers(createLogger('info', 'fatal-entry'));
  if (mode === 'main-rejects') throw new Error('start-up went wrong');
  if (mode === 'unhandled-rejection') void Promise.reject(new Error('nobody awaited me'));
  if (mode === 'uncaught-exception') {
    setTimeout(() => {
      throw new Error('thrown from a timer');
    }, 0);
  }
  // A long-lived entry: kept alive until the fatal handler ends it (or the test's timeout does).
  setTimeout(() => console.log('still running'), 20_000);
}

runEntry('fatal-entry', main);
