import { DATABASE_RETRY } from './database-retry';
import {
  getExternalWorkflowHandle,
  ParentClosePolicy,
  proxyActivities,
  startChild,
} from '@temporalio/workflow';
import type { ReminderActivities } from '../activities/reminder-activities';
import type { ReminderCandidate } from '../activities/ports';
import {
  createIds,
  REMINDER_BATCH_PAGE_SIZE,
  reminderBatchDigest,
  type BatchReminder,
} from '../src/temporal/contract';
import { reminderBatchWorkflow, replanSignal } from './reminder-batch.workflow';
import type { PageResult } from './page-result';

const { listReminderCandidates, markRemindersStarted, recordReminderSkips } =
  proxyActivities<ReminderActivities>({
    startToCloseTimeout: '2m',
    heartbeatTimeout: '30s',
    retry: DATABASE_RETRY,
  });

/** The page's reminders by the instant they fire, each group in page order. */
function byInstant(starts: readonly ReminderCandidate[]): BatchReminder[][] {
  const groups = new Map<number, BatchReminder[]>();
  for (const { subscriptionId, dueDate, offsetDays, kind, instantMs } of starts) {
    const group = groups.get(instantMs) ?? [];
    group.push({ subscriptionId, dueDate, offsetDays, kind, instantMs });
    groups.set(instantMs, group);
  }
  return [...groups.values()];
}

/**
 * One page of the reminder check's reminders step: the reminders firing before the end of the next hour (or
 * missed, for catch-up) go into one batch workflow per instant, named by its contents; the skipped ones are
 * logged; then each started reminder is marked with its batch, so later checks stop listing it and a replan
 * finds the batch. Every start is awaited before the caller may continueAsNew. A batch that exists already
 * (the same reminders listed again, as after a change the API could not signal: it removed their markers) is
 * counted and sent `replan`, so it re-validates now; a closed one ignores the signal. A reminder listed again
 * into a different batch is sent by whichever batch claims it first.
 */
export async function startDueReminders(
  idPrefix: string,
  afterId: number,
  nowMs: number,
): Promise<PageResult> {
  const page = await listReminderCandidates({ afterId, limit: REMINDER_BATCH_PAGE_SIZE, nowMs });
  const ids = createIds(idPrefix);
  const batches = byInstant(page.starts).map((reminders) => ({
    reminders,
    workflowId: ids.reminderBatch(reminders[0].instantMs, reminderBatchDigest(reminders)),
  }));
  const starts = await Promise.allSettled(
    batches.map(({ reminders, workflowId }) =>
      startChild(reminderBatchWorkflow, {
        workflowId,
        args: [{ reminders }],
        parentClosePolicy: ParentClosePolicy.ABANDON,
        workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
      }),
    ),
  );
  const counts = { reminderBatchesStarted: 0, remindersStarted: 0, remindersAlreadyRunning: 0 };
  const existing: string[] = [];
  starts.forEach((start, i) => {
    const { reminders, workflowId } = batches[i];
    if (start.status === 'fulfilled') {
      counts.reminderBatchesStarted += 1;
      counts.remindersStarted += reminders.length;
    }
    // By name: instanceof is unreliable across realms (Jest), and the name is the SDK's stable contract.
    else if ((start.reason as Error).name === 'WorkflowExecutionAlreadyStartedError') {
      counts.remindersAlreadyRunning += reminders.length;
      existing.push(workflowId);
    } else throw start.reason;
  });
  // A closed batch cannot be signalled: nothing to wake.
  await Promise.allSettled(existing.map((id) => getExternalWorkflowHandle(id).signal(replanSignal)));
  if (page.skips.length) await recordReminderSkips(page.skips);
  await markRemindersStarted(
    batches.flatMap(({ reminders, workflowId }) =>
      reminders.map(({ subscriptionId, dueDate, offsetDays, kind }) => ({
        subscriptionId,
        dueDate,
        offsetDays,
        kind,
        batchId: workflowId,
      })),
    ),
  );
  return {
    cursor: page.cursor,
    more: page.more,
    counts: {
      ...counts,
      remindersSkipped: page.skips.length,
      remindersLate: page.starts.filter((s) => s.catchUp).length,
    },
  };
}
