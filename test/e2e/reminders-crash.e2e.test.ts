import { crashGuaranteeProblems } from '../../bench/crash-check';
import { runReminderScenario } from '../../bench/reminder-harness';

/**
 * Crash safety at CI size (scripts/crash-test-reminders.ts runs the same with 2,000): a triggered check with
 * 200 due reminders while the worker process is SIGKILLed twice and restarted. Exactly one `sent` log per
 * reminder, every one delivered, duplicates no more than the sends in flight at the kills.
 */
describe('reminders survive SIGKILLed workers', () => {
  it('200 reminders, two kills: one sent log each, all delivered, duplicates only from in-flight sends', async () => {
    const report = await runReminderScenario({ n: 200, killAt: [0.3, 0.65], timeoutMs: 170_000 });
    console.log(
      `crash run: ${report.n} reminders, ${report.acceptedMessages} accepted, ${report.duplicates} duplicates, ` +
        `${report.inFlightAtKills} sends in flight at ${report.kills} kills, ${(report.wallMs / 1000).toFixed(1)} s`,
    );
    expect(crashGuaranteeProblems(report)).toEqual([]);
  }, 200_000);
});
