/** Runs the seed's `check_upcoming_payments()` once in its own Python process, as its cron job would. */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const SCRIPT = `
import json, time
from api import create_app
from api.tasks.reminder_tasks import check_upcoming_payments
app = create_app()
app.app_context().push()
started = time.time()
t0 = time.perf_counter()
check_upcoming_payments()
print("BENCH_TRIGGER " + json.dumps({"startedAtMs": started * 1000, "enqueueMs": (time.perf_counter() - t0) * 1000}), flush=True)
`;

export interface TriggerResult {
  /** Epoch ms when check_upcoming_payments() was called (after the interpreter start and create_app()). */
  startedAtMs: number;
  /** How long check_upcoming_payments() itself took. */
  enqueueMs: number;
  /** Epoch ms when the process exited. */
  exitedAtMs: number;
}

export function triggerCheckUpcomingPayments(
  seedDir: string,
  env: NodeJS.ProcessEnv,
  logFile: string,
): Promise<TriggerResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(seedDir, '.venv/bin/python'), ['-c', SCRIPT], {
      cwd: seedDir,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      const exitedAtMs = Date.now();
      fs.writeFileSync(logFile, `${stdout}${stderr}`);
      const line = /^BENCH_TRIGGER (.+)$/m.exec(stdout);
      if (code !== 0 || !line) {
        reject(new Error(`check_upcoming_payments failed (exit ${code}):\n${stderr.slice(-2000)}`));
        return;
      }
      const parsed = JSON.parse(line[1]!) as { startedAtMs: number; enqueueMs: number };
      resolve({ ...parsed, exitedAtMs });
    });
  });
}
