import { continueAsNew, proxyActivities, sleep, workflowInfo } from '@temporalio/workflow';
import type { ReportActivities } from '../activities/report-activities';
import {
  REPORT_BATCH_HISTORY_LIMIT,
  type BatchReportUser,
  type ReportBatchInput,
  type ReportBatchResult,
} from '../src/temporal/contract';
import { DATABASE_RETRY } from './database-retry';

// Retried until it succeeds: a database outage across the instant delays the reports, never loses them. A retry
// resumes from the database (recorded users skipped, its own claims kept).
const { deliverReports } = proxyActivities<ReportActivities>({
  startToCloseTimeout: '30m',
  heartbeatTimeout: '30s',
  retry: DATABASE_RETRY,
});

const notBefore = (u: BatchReportUser) => u.notBeforeMs ?? u.instantMs;

/**
 * One month's reports of the users of one fan-out page whose report falls due at the same instant, id
 * `reports-{YYYY-MM}-{instant}-{N}x{digest}`; its input lists them. Sleeps until the earliest is due, then one
 * delivery activity checks, composes, claims, sends and records them all; users that must wait (an instant moved
 * later, a retry's backoff, a 429's Retry-After) come back and are delivered again after a durable timer.
 * Continues as new (with what is left) before its history grows long. Returns every user's outcome by id.
 */
export async function reportBatchWorkflow(input: ReportBatchInput): Promise<ReportBatchResult> {
  const outcomes = { ...input.outcomes };
  let pending = input.users;
  while (pending.length > 0) {
    const nextMs = Math.min(...pending.map(notBefore));
    if (nextMs > Date.now()) await sleep(nextMs - Date.now());
    const nowMs = Date.now();
    const due = pending.filter((u) => notBefore(u) <= nowMs);
    const delivery = await deliverReports({ month: input.month, users: due });
    Object.assign(outcomes, delivery.done);
    pending = pending.filter((u) => !due.includes(u)).concat(delivery.again);
    const info = workflowInfo();
    const historyLimit = input.historyLimit ?? REPORT_BATCH_HISTORY_LIMIT;
    if (pending.length > 0 && (info.historyLength >= historyLimit || info.continueAsNewSuggested)) {
      await continueAsNew<typeof reportBatchWorkflow>({ ...input, users: pending, outcomes });
    }
  }
  return { outcomes };
}
