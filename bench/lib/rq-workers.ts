/**
 * The seed's RQ reminder workers as child processes, started as its docker-compose.yml does:
 * `python -m workers.reminder_worker` from the seed's directory (`python workers/reminder_worker.py` cannot
 * import the `api` package: the script's directory, not the cwd, is first on sys.path).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type Redis from 'ioredis';

export interface SeedWorker {
  child: ChildProcess;
  pid: number;
  logFile: string;
  exited: boolean;
}

export function startSeedWorker(seedDir: string, env: NodeJS.ProcessEnv, logFile: string): SeedWorker {
  const fd = fs.openSync(logFile, 'a');
  const child = spawn(path.join(seedDir, '.venv/bin/python'), ['-m', 'workers.reminder_worker'], {
    cwd: seedDir,
    env,
    stdio: ['ignore', fd, fd],
  });
  fs.closeSync(fd);
  if (child.pid === undefined) throw new Error('could not start workers.reminder_worker');
  const worker: SeedWorker = { child, pid: child.pid, logFile, exited: false };
  child.once('exit', () => (worker.exited = true));
  return worker;
}

const tail = (file: string) => fs.readFileSync(file, 'utf8').split('\n').slice(-15).join('\n');

/** Resolves once `rq:workers` holds one entry per worker; throws when one exits or after `timeoutMs`. */
export async function waitForRegistration(redis: Redis, workers: SeedWorker[], timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const dead = workers.find((w) => w.exited);
    if (dead) throw new Error(`RQ worker ${dead.pid} exited before registering:\n${tail(dead.logFile)}`);
    if ((await redis.scard('rq:workers')) >= workers.length) return;
    if (Date.now() > deadline) throw new Error(`RQ workers not registered after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** SIGTERM (RQ's warm shutdown: the current job finishes), SIGKILL after `graceMs`. */
export async function stopSeedWorker(worker: SeedWorker, graceMs = 5_000): Promise<void> {
  if (worker.exited) return;
  const exited = new Promise<void>((resolve) => worker.child.once('exit', () => resolve()));
  worker.child.kill('SIGTERM');
  const timer = setTimeout(() => worker.child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
