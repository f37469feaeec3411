/**
 * `npm run bench:reminders -- --n 2000 [--kill]`: n reminders due at once through the reminder-check schedule,
 * a worker process with the real activities, the fake Mailgun. Prints wall time from the trigger to the last
 * accepted message, messages per second, the worker's peak RSS, the largest history among the check's runs and
 * the reminder batches', the number of batch runs, and (with --kill, or the crash run that follows by default)
 * the duplicates seen when the worker is SIGKILLed twice.
 */
import { runReminderScenario, type RunReport } from './reminder-harness';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function print(title: string, r: RunReport): void {
  console.log(`\n== ${title} ==`);
  console.log(`reminders                 ${r.n}`);
  console.log(`wall time trigger->last   ${(r.wallMs / 1000).toFixed(1)} s`);
  console.log(`messages per second       ${r.messagesPerSecond}`);
  console.log(`worker peak RSS           ${r.workerPeakRssMb} MB`);
  console.log(`largest history           ${r.largestHistory.events} events (${r.largestHistory.workflowId})`);
  console.log(`reminder batch runs       ${r.batchRuns} (${r.batchRunsRead} histories read)`);
  console.log(`check runs (ms each)      ${r.checkRunMs.join(' ')}`);
  console.log(`accepted messages         ${r.acceptedMessages} (${r.distinctDelivered} distinct)`);
  console.log(`sent logs                 ${r.sentLogs} (${r.keysWithOneSentLog} keys with exactly one)`);
  console.log(`kills                     ${r.kills}`);
  console.log(
    `duplicates                ${r.duplicates} (sends in flight at the kills: ${r.inFlightAtKills})`,
  );
  console.log(`load average (1/5/15)     ${r.loadAverage.join(' / ')}`);
}

async function main() {
  const n = Number(arg('n') ?? 2000);
  const log = (m: string) => console.log(`[bench] ${m}`);
  if (!process.argv.includes('--crash-only')) print('throughput', await runReminderScenario({ n, log }));
  if (!process.argv.includes('--no-crash')) {
    print('crash run (SIGKILL at 30% and 65%)', await runReminderScenario({ n, killAt: [0.3, 0.65], log }));
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
