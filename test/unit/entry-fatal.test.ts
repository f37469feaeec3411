import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs test/helpers/fatal-entry.ts in `mode` to its end. */
function runFatalEntry(mode: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/fatal-entry.ts', mode], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The JSON lines the entry's pino logger wrote. */
function logLines(stdout: string): Record<string, unknown>[] {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('entry points fail fatally and consistently', () => {
  it('an unhandled rejection is logged at fatal level with its error, and the process exits 1', async () => {
    const run = await runFatalEntry('unhandled-rejection');
    expect(run.code).toBe(1);
    expect(run.stdout).not.toContain('still running');
    expect(logLines(run.stdout)).toContainEqual(
      expect.objectContaining({
        level: 60,
        name: 'fatal-entry',
        msg: 'unhandled promise rejection',
        err: expect.objectContaining({ message: 'nobody awaited me' }),
      }),
    );
  });

  it('an uncaught exception is logged at fatal level with its error, and the process exits 1', async () => {
    const run = await runFatalEntry('uncaught-exception');
    expect(run.code).toBe(1);
    expect(logLines(run.stdout)).toContainEqual(
      expect.objectContaining({
        level: 60,
        msg: 'uncaught exception',
        err: expect.objectContaining({ message: 'thrown from a timer' }),
      }),
    );
  });

  it('a main that fails after the logger exists is logged by it and exits 1', async () => {
    const run = await runFatalEntry('main-rejects');
    expect(run.code).toBe(1);
    expect(logLines(run.stdout)).toContainEqual(
      expect.objectContaining({
        level: 60,
        msg: 'fatal-entry failed',
        err: expect.objectContaining({ message: 'start-up went wrong' }),
      }),
    );
  });

  it('a main that fails before it has a logger (invalid config) prints the readable message and exits 1', async () => {
    const run = await runFatalEntry('before-logger');
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe('TEST_SETTING: must be a number');
  });

  it('every entry point runs through runEntry, none ends its own way', () => {
    const entries = [
      ...fs
        .readdirSync(path.join(ROOT, 'src/entry'))
        .filter((f) => !['run-entry.ts', 'shutdown.ts'].includes(f))
        .map((f) => `src/entry/${f}`),
      'bench/reminder-worker.ts',
    ];
    for (const file of entries) {
      const source = fs.readFileSync(path.join(ROOT, file), 'utf8');
      expect({ file, runEntry: /runEntry\('[\w-]+', main\)/.test(source) }).toEqual({ file, runEntry: true });
      expect({ file, exitCode: source.includes('process.exitCode') }).toEqual({ file, exitCode: false });
      expect({ file, ownCatch: source.includes('main().catch') }).toEqual({ file, ownCatch: false });
    }
  });

  it('long-lived entries hand their configured logger to the fatal handlers', () => {
    for (const file of [
      'src/entry/api.ts',
      'src/entry/worker.ts',
      'src/entry/dev.ts',
      'bench/reminder-worker.ts',
    ]) {
      const source = fs.readFileSync(path.join(ROOT, file), 'utf8');
      expect({ file, installs: source.includes('installFatalHandlers(logger)') }).toEqual({
        file,
        installs: true,
      });
    }
  });
});
