import type { ReminderLog } from '../../db/models';

/** A reminder's outcome: the columns of docs/data-model.md plus the seed's `message`, `success` and
 * `sent_at`, and the workflow run that wrote it. */
export function presentReminderLog(log: ReminderLog) {
  return {
    id: log.id,
    subscription_id: log.subscriptionId,
    due_date: log.dueDate,
    offset_days: log.offsetDays,
    status: log.status,
    reason: log.reason ?? null,
    success: log.success,
    message: log.message ?? null,
    error: log.error ?? null,
    attempts: log.attempts,
    late: log.late,
    sent_at: log.sentAt ? log.sentAt.toISOString() : null,
    created_at: log.createdAt.toISOString(),
    workflow_id: log.workflowId ?? null,
    workflow_run_id: log.workflowRunId ?? null,
  };
}
