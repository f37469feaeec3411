import type { RunReport } from './reminder-harness';

/** The delivery guarantee of docs/temporal.md, checked on a crash run; empty when it holds. */
export function crashGuaranteeProblems(r: RunReport): string[] {
  const problems: string[] = [];
  if (r.kills < 2) problems.push(`the worker was killed ${r.kills} times, not 2`);
  if (r.distinctDelivered !== r.n) problems.push(`${r.distinctDelivered} of ${r.n} reminders delivered`);
  if (r.sentLogs !== r.n || r.keysWithOneSentLog !== r.n) {
    problems.push(
      `${r.sentLogs} sent logs, ${r.keysWithOneSentLog} keys with exactly one, for ${r.n} reminders`,
    );
  }
  if (r.duplicates > r.inFlightAtKills) {
    problems.push(`${r.duplicates} duplicates but only ${r.inFlightAtKills} sends in flight at the kills`);
  }
  return problems;
}
