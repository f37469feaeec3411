import {
  continueAsNew,
  ParentClosePolicy,
  proxyActivities,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import type { ReportActivities } from '../activities/report-activities';
import {
  createIds,
  MONTHLY_REPORT_PAGE_SIZE,
  type MonthlyReportCounts,
  type MonthlyReportInput,
} from '../src/temporal/contract';
import { previousMonth } from '../src/time/months';
import { DATABASE_RETRY } from './database-retry';
import { userReportWorkflow } from './user-report.workflow';

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

/**
 * The monthly-report schedule's run. Takes its month from the scheduled time (so a backfill reports the month of
 * its slot, not of today), pages through users who want reports and starts `report-{userId}-{YYYY-MM}` for each;
 * after each full page it continues as new with the month, the cursor and the counts so far.
 */
export async function monthlyReportWorkflow(input: MonthlyReportInput): Promise<MonthlyReportCounts> {
  const month = input.month ?? reportMonthAt(scheduledStartMs() ?? Date.now());
  const counts: MonthlyReportCounts = { started: 0, alreadyStarted: 0, ...input.counts };
  const ids = createIds(input.idPrefix);
  const pageSize = input.pageSize ?? MONTHLY_REPORT_PAGE_SIZE;
  const userIds = await listReportRecipients(input.cursor ?? 0, pageSize);
  const starts = await Promise.allSettled(
    userIds.map((userId) =>
      startChild(userReportWorkflow, {
        workflowId: ids.report(userId, month),
        args: [{ userId, month }],
        parentClosePolicy: ParentClosePolicy.ABANDON,
        workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
      }),
    ),
  );
  for (const start of starts) {
    if (start.status === 'fulfilled') counts.started += 1;
    // By name: instanceof is unreliable across realms (Jest), and the name is the SDK's stable contract.
    else if ((start.reason as Error).name === 'WorkflowExecutionAlreadyStartedError')
      counts.alreadyStarted += 1;
    else throw start.reason;
  }
  // Every start above was awaited, so continuing as new loses none of them.
  if (userIds.length === pageSize) {
    await continueAsNew<typeof monthlyReportWorkflow>({
      ...input,
      month,
      cursor: userIds[userIds.length - 1],
      counts,
    });
  }
  return counts;
}
