import {
  getExternalWorkflowHandle,
  ParentClosePolicy,
  proxyActivities,
  startChild,
} from '@temporalio/workflow';
import type { ReminderActivities } from '../activities/reminder-activities';
import { createIds, REMINDER_CHECK_PAGE_SIZE } from '../src/temporal/contract';
import { reminderWorkflow, replanSignal } from './reminder.workflow';
import type { PageResult } from './welcome-fan-out';

const { listReminderCandidates, markRemindersStarted, recordReminderSkips } =
  proxyActivities<ReminderActivities>({
    startToCloseTimeout: '2m',
    heartbeatTimeout: '30s',
    retry: { initialInterval: '1s', maximumInterval: '30s', maximumAttempts: 5 },
  });

/**
 * One page of the reminder check's reminders step: starts a child per reminder firing before the end of the
 * next hour (or missed, for catch-up), logs the skipped ones, then marks the started ones so later checks
 * stop listing them. Every start is awaited before the caller may continueAsNew. One that exists already is
 * counted and sent `replan`: it is listed again only when its started marker is missing, as after a change the
 * API could not signal (Temporal unreachable; the API then removes the marker), so it re-validates now instead
 * of at the instant it was started with. A closed one ignores the signal.
 */
export async function startDueReminders(
  idPrefix: string,
  afterId: number,
  nowMs: number,
): Promise<PageResult> {
  const page = await listReminderCandidates({ afterId, limit: REMINDER_CHECK_PAGE_SIZE, nowMs });
  const ids = createIds(idPrefix);
  const starts = await Promise.allSettled(
    page.starts.map(({ subscriptionId, dueDate, offsetDays, instantMs }) =>
      startChild(reminderWorkflow, {
        workflowId: ids.reminder(subscriptionId, dueDate, offsetDays),
        args: [{ subscriptionId, dueDate, offsetDays, instantMs }],
        parentClosePolicy: ParentClosePolicy.ABANDON,
        workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
      }),
    ),
  );
  let started = 0;
  let late = 0;
  const existing: string[] = [];
  starts.forEach((start, i) => {
    if (start.status === 'fulfilled') {
      started += 1;
      if (page.starts[i].catchUp) late += 1;
    }
    // By name: instanceof is unreliable across realms (Jest), and the name is the SDK's stable contract.
    else if ((start.reason as Error).name === 'WorkflowExecutionAlreadyStartedError') {
      const { subscriptionId, dueDate, offsetDays } = page.starts[i];
      existing.push(ids.reminder(subscriptionId, dueDate, offsetDays));
    } else throw start.reason;
  });
  // A closed reminder (sent, skipped, failed) cannot be signalled: nothing to wake.
  await Promise.allSettled(existing.map((id) => getExternalWorkflowHandle(id).signal(replanSignal)));
  if (page.skips.length) await recordReminderSkips(page.skips);
  await markRemindersStarted(
    page.starts.map(({ subscriptionId, dueDate, offsetDays }) => ({ subscriptionId, dueDate, offsetDays })),
  );
  return {
    cursor: page.cursor,
    more: page.more,
    counts: {
      remindersStarted: started,
      remindersAlreadyRunning: existing.length,
      remindersSkipped: page.skips.length,
      remindersLate: late,
    },
  };
}
