import { ActivityFailure, proxyActivities, sleep } from '@temporalio/workflow';
import type { ReportActivities } from '../activities/report-activities';
import type { ReportEntry } from '../activities/ports';
import {
  MAIL_ACTIVITY_TIMEOUTS,
  MAIL_RETRY,
  type UserReportInput,
  type UserReportResult,
} from '../src/temporal/contract';
import { DATABASE_RETRY } from './database-retry';
import { describeMailFailure } from './mail-failure';

const { checkReport, advanceReportPayments, composeReport } = proxyActivities<ReportActivities>({
  startToCloseTimeout: '1m',
  retry: DATABASE_RETRY,
});
// The row must land, whatever the outage: retried until it does (the unique key makes repeats harmless).
const { recordReport } = proxyActivities<ReportActivities>({
  startToCloseTimeout: '30s',
  retry: DATABASE_RETRY,
});
const { sendReport } = proxyActivities<ReportActivities>({ ...MAIL_ACTIVITY_TIMEOUTS, retry: MAIL_RETRY });

/**
 * One user's report of one month, id `report-{userId}-{YYYY-MM}`. Waits until the month has ended in the user's
 * zone at their hour (re-checking after each wait: the zone may have changed), advances their payments, computes
 * and sends the report, then records the one monthly_reports row in a separate activity, so a crash after a
 * completed send never sends again. No charges: a `skipped` row and no email.
 */
export async function userReportWorkflow(input: UserReportInput): Promise<UserReportResult> {
  for (;;) {
    const check = await checkReport(input);
    if (check.kind === 'skip') return { outcome: 'skipped', reason: check.reason };
    if (check.instantMs <= Date.now()) break;
    await sleep(check.instantMs - Date.now());
  }
  await advanceReportPayments({ userId: input.userId, nowMs: Date.now() });
  const composed = await composeReport({ ...input, nowMs: Date.now() });
  if (composed.kind === 'skip') return { outcome: 'skipped', reason: composed.reason };
  if (composed.kind === 'empty') {
    await record(input, { status: 'skipped', totals: composed.totals });
    return { outcome: 'skipped', reason: 'no_charges' };
  }
  try {
    const delivery = await sendReport(composed.message);
    await record(input, {
      status: 'sent',
      totals: composed.totals,
      providerMessageId: delivery.providerMessageId,
      sentAtMs: Date.now(),
    });
    return { outcome: 'sent', ...delivery };
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    await record(input, { status: 'failed', totals: composed.totals });
    return { outcome: 'failed', ...describeMailFailure(err) };
  }
}

async function record(input: UserReportInput, outcome: Omit<ReportEntry, 'userId' | 'month'>): Promise<void> {
  if (input.test) return; // A test send leaves no row: it would stand in for the real report.
  await recordReport({ userId: input.userId, month: input.month, ...outcome });
}
