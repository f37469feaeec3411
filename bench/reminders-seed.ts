/**
 * `npm run bench:reminders:seed -- --n 1000`: the Flask seed's reminder pipeline, for a side-by-side with
 * `npm run bench:reminders` (ours). n subscriptions due tomorrow (UTC) in a fresh MariaDB database of the
 * seed's own schema, two RQ reminder workers as shipped, check_upcoming_payments() as the trigger, the fake
 * Mailgun. Prints wall time from the trigger to the last accepted message, messages per second, duplicates,
 * reminder_logs rows and the workers' peak RSS.
 *
 * Options: --n N (1000) --timeout-ms MS (1200000)
 * Environment: BENCH_DATABASE_URL (default mysql://subtracker:subtracker@127.0.0.1:3306/), BENCH_REDIS_URL
 *          (redis://127.0.0.1:6379; database 9 is flushed), SEED_DIR (~/.cache/subtracker-bench/seed: a copy of
 *          the seed with its .venv; created from ../shared/seed/subtracker-flask when missing).
 */
import os from 'node:os';
import path from 'node:path';
import { ensureSeedCopy } from './lib/seed-copy';
import { runSeedReminderPipeline, type SeedReminderReport } from './lib/seed-reminders';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function print(r: SeedReminderReport): void {
  console.log('\n== seed (Flask + RQ, 2 reminder workers) ==');
  console.log(`reminders                 ${r.n}`);
  console.log(`wall time trigger->last   ${(r.wallMs / 1000).toFixed(1)} s`);
  if (r.wallFromSpawnMs !== undefined) {
    console.log(`  from process spawn      ${(r.wallFromSpawnMs / 1000).toFixed(1)} s`);
  }
  console.log(`messages per second       ${r.messagesPerSecond}`);
  console.log(`enqueue (check_upcoming)  ${(r.enqueueMs / 1000).toFixed(2)} s`);
  console.log(`workers peak RSS (sum)    ${r.workersPeakRssMb} MB`);
  if (r.largestWorkHorsePeakRssMb !== undefined) {
    console.log(
      `largest work horse seen   ${r.largestWorkHorsePeakRssMb} MB (${r.workHorsesSampled} horses sampled)`,
    );
  }
  console.log(`accepted messages         ${r.acceptedMessages} (${r.distinctDelivered} distinct)`);
  console.log(`duplicates                ${r.duplicates}`);
  console.log(`reminder_logs rows        ${r.logsWritten} (${r.successLogs} success)`);
  if (r.complete !== undefined) console.log(`complete                  ${r.complete ? 'yes' : 'NO'}`);
  if (r.rq) {
    console.log(
      `rq keys                   ${Object.entries(r.rq)
        .map(([k, v]) => `${k.replace(/^rq:|:reminders$/g, '')} ${v}`)
        .join(', ')}`,
    );
  }
  console.log(`load average (1/5/15)     ${r.loadAverage.join(' / ')}`);
  if (r.logDir) console.log(`logs                      ${r.logDir}`);
}

async function main() {
  const n = Number(arg('n') ?? 1000);
  if (!Number.isInteger(n) || n < 1) throw new Error('--n must be a positive integer');
  const seedDir = process.env.SEED_DIR ?? path.join(os.homedir(), '.cache/subtracker-bench/seed');
  const log = (m: string) => console.log(`[bench] ${m}`);
  ensureSeedCopy(seedDir, log);
  print(
    await runSeedReminderPipeline({
      n,
      seedDir,
      serverUrl: process.env.BENCH_DATABASE_URL ?? 'mysql://subtracker:subtracker@127.0.0.1:3306/',
      redisBase: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
      log,
      timeoutMs: Number(arg('timeout-ms') ?? 20 * 60_000),
    }),
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
