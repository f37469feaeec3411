import {
  continueAsNew,
  ParentClosePolicy,
  proxyActivities,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import type { ReportActivities, ReportRecipientInstant } from '../activities/report-activities';
import {
  createIds,
  MONTHLY_REPORT_PAGE_SIZE,
  reportBatchDigest,
  type BatchReportUser,
  type MonthlyReportCounts,
  type MonthlyReportInput,
} from '../src/temporal/contract';
import { previousMonth } from '../src/time/months';
import { DATABASE_RETRY } from './database-retry';
import { reportBatchWorkflow } from './report-batch.workflow';

// A failed run is not run again by the schedule (its catch-up window only covers missed slots): the month's
// reports would be lost, so the listing outlasts any outage.
const { listReportRecipients } = proxyActivities<ReportActivities>({
  startToCloseTimeout: '30s',
  retry: DATABASE_RETRY,
});

/** The search attribute a schedule stamps on each action's run: the time the action was scheduled for. */
const SCHEDULED_START = { name: 'TemporalScheduledStartTime', type: 'DATETIME' } as const;

/**
 * The instant this run was scheduled for (a backfilled run gets its past slot), or undefined when it was not
 * started by a schedule. Read typed, then untyped (older servers omit the type metadata).
 */
export function scheduledStartMs(): number | undefined {
  const info = workflowInfo();
  const typed = info.typedSearchAttributes.get(SCHEDULED_START);
  const [untyped] = (info.searchAttributes?.[SCHEDULED_START.name] ?? []) as unknown[];
  const value = typed ?? untyped;
  if (value === undefined) return undefined;
  const ms = value instanceof Date ? value.getTime() : Date.parse(String(value));
  return Number.isFinite(ms) ? ms : undefined;
}

/** The month a run at `instantMs` reports: the UTC month before it (a run on 2026-12-01T00:00Z reports 2026-11). */
export function reportMonthAt(instantMs: number): string {
  return previousMonth(new Date(instantMs).toISOString().slice(0, 7));
}

/** The page's users by the instant their report falls due, each group in page order. */
function byInstant(page: readonly ReportRecipientInstant[]): BatchReportUser[][] {
  const groups = new Map<number, BatchReportUser[]>();
  for (const { userId, instantMs } of page) {
    const group = groups.get(instantMs) ?? [];
    group.push({ userId, instantMs });
    groups.set(instantMs, group);
  }
  return [...groups.values()];
}

/**
 * The monthly-report schedule's run. Takes its month from the scheduled time (so a backfill reports the month of
 * its slot, not of today), pages through users who want reports and starts one batch per instant of each page,
 * `reports-{YYYY-MM}-{instant}-{N}x{digest}`, named by its users: a second run listing the same users finds the
 * batches started (counted, not an error), and a user listed into another batch is sent by whichever batch
 * claims them first. After each full page it continues as new with the month, the cursor and the counts so far.
 */
export async function monthlyReportWorkflow(input: MonthlyReportInput): Promise<MonthlyReportCounts> {
  const month = input.month ?? reportMonthAt(scheduledStartMs() ?? Date.now());
  const counts: MonthlyReportCounts = {
    batchesStarted: 0,
    batchesAlreadyStarted: 0,
    usersStarted: 0,
    usersAlreadyStarted: 0,
    ...input.counts,
  };
  const ids = createIds(input.idPrefix);
  const pageSize = input.pageSize ?? MONTHLY_REPORT_PAGE_SIZE;
  const page = await listReportRecipients(input.cursor ?? 0, pageSize, month);
  const batches = byInstant(page).map((users) => ({
    users,
    workflowId: ids.reportBatch(month, users[0].instantMs, reportBatchDigest(users)),
  }));
  const starts = await Promise.allSettled(
    batches.map(({ users, workflowId }) =>
      startChild(reportBatchWorkflow, {
        workflowId,
        args: [{ month, users }],
        parentClosePolicy: ParentClosePolicy.ABANDON,
        workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
      }),
    ),
  );
  starts.forEach((start, i) => {
    const { users } = batches[i];
    if (start.status === 'fulfilled') {
      counts.batchesStarted += 1;
      counts.usersStarted += users.length;
    }
    // By name: instanceof is unreliable across realms (Jest), and the name is the SDK's stable contract.
    else if ((start.reason as Error).name === 'WorkflowExecutionAlreadyStartedError') {
      counts.batchesAlreadyStarted += 1;
      counts.usersAlreadyStarted += users.length;
    } else throw start.reason;
  });
  // Every start above was awaited, so continuing as new loses none of them.
  if (page.length === pageSize) {
    await continueAsNew<typeof monthlyReportWorkflow>({
      ...input,
      month,
      cursor: page[page.length - 1].userId,
      counts,
    });
  }
  return counts;
}
