import type { ChannelDelivery, ReminderLog } from '../../db/models';

/** A reminder's outcome: the columns of docs/data-model.md plus the seed's `message`, `success` and
 * `sent_at`, the workflow run that wrote it, and its deliveries to the owner's channels. */
export function presentReminderLog(log: ReminderLog, channels: ChannelDelivery[] = []) {
  return {
    id: log.id,
    subscription_id: log.subscriptionId,
    due_date: log.dueDate,
    offset_days: log.offsetDays,
    kind: log.kind,
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
    channels: channels.map(presentChannelDelivery),
  };
}

/** One channel's outcome of a reminder: no payload, no response body (it may echo what the owner sent). */
function presentChannelDelivery(delivery: ChannelDelivery) {
  return {
    channel_id: delivery.channelId,
    type: delivery.channel?.type ?? 'webhook',
    status: delivery.status,
    attempts: delivery.attempts,
    response_status: delivery.responseStatus ?? null,
    error: delivery.error ?? null,
    sent_at: delivery.sentAt ? delivery.sentAt.toISOString() : null,
  };
}
