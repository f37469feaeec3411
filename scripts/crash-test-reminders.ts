/**
 * Crash safety of reminders: `npx tsx scripts/crash-test-reminders.ts [--n 2000]`. A triggered check with n due
 * reminders while the worker process is SIGKILLed twice and restarted; afterwards every reminder must have
 * exactly one `sent` log, every one delivered at least once, and duplicates no more than the sends in flight
 * at the kills. Prints the counts; exits 1 when a guarantee fails.
 */
import { runReminderScenario } from '../bench/reminder-harness';
import { crashGuaranteeProblems } from '../bench/crash-check';

async function main() {
  const i = process.argv.indexOf('--n');
  const n = i >= 0 ? Number(process.argv[i + 1]) : 2000;
  const report = await runReminderScenario({
    n,
    killAt: [0.3, 0.65],
    log: (m) => console.log(`[crash] ${m}`),
  });
  console.log(JSON.stringify(report, null, 2));
  const problems = crashGuaranteeProblems(report);
  for (const p of problems) console.error(`FAILED: ${p}`);
  process.exit(problems.length ? 1 : 0);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
