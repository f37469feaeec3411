import { Context } from '@temporalio/activity';
import type { ChannelSender } from '../src/channels/channel-sender';
import type { Mailer } from '../src/mail/mailer';
import { channelDeliveryName, type ChannelBatchDelivery, type ChannelResult } from '../src/temporal/contract';
import type { SendSlots } from './batch-send';
import { planChannelRetry } from './channel-retry';
import { channelDisabledMessage } from './channel-disabled-message';
import type { ActivityLog, ChannelStore, PendingChannelDelivery } from './ports';

export interface ChannelDeliveryDeps {
  channels: ChannelStore;
  sendChannel: ChannelSender;
  /** Bounds the channel requests a worker has in flight, across its batches. */
  channelSlots: SendSlots;
  /** Deliveries ending failed in a row after which a channel is disabled (and its owner told by email). */
  disableAfter: number;
  mailer: Mailer;
  log?: ActivityLog;
}

/**
 * The batch's channel activity. Loads the pending deliveries of these keys that this batch planned, sends those
 * that are due, each on its own (one failing never holds up another, nor the email), and writes each one's state
 * back to its row: sent, failed for good (a permanent answer, or retries spent), or pending until its next
 * attempt, which comes back to the workflow to wait for. Retried as a whole, it resumes from the rows.
 * Secrets are loaded here by channel id: they never pass through Temporal.
 */
export function createChannelDelivery(deps: ChannelDeliveryDeps) {
  return {
    async deliverChannels(request: { keys: string[] }): Promise<ChannelBatchDelivery> {
      const ctx = Context.current();
      const workflowId = ctx.info.workflowExecution?.workflowId ?? 'unknown';
      const startedReal = Date.now();
      const now = () => ctx.info.currentAttemptScheduledTimestampMs + (Date.now() - startedReal);
      const beat = setInterval(() => ctx.heartbeat(), 5_000);
      const done: Record<string, ChannelResult> = {};
      const waits = new Map<string, number>();
      const wait = (key: string, atMs: number) => waits.set(key, Math.min(atMs, waits.get(key) ?? Infinity));

      const deliver = async (row: PendingChannelDelivery) => {
        const name = channelDeliveryName(row.deliveryKey, row.channelId);
        const channel = await deps.channels.findChannel(row.channelId);
        const attempts = row.attempts + 1;
        const firstAttemptMs = row.firstAttemptMs ?? now();
        if (!channel || !channel.enabled) {
          await deps.channels.update({ ...row, status: 'skipped', error: 'channel disabled' });
          done[name] = { outcome: 'skipped', reason: 'channel_disabled' };
          return;
        }
        const attempt = await deps.sendChannel(channel, row.payload, now());
        const answer = { responseStatus: attempt.status, responseBody: attempt.body };
        if (attempt.kind === 'sent') {
          const sentAtMs = now();
          await deps.channels.update({
            ...row,
            ...answer,
            status: 'sent',
            attempts,
            firstAttemptMs,
            sentAtMs,
          });
          await deps.channels.recordOutcome(channel.id, false, deps.disableAfter);
          done[name] = {
            outcome: 'sent',
            attempts,
            status: attempt.status,
            providerMessageId: attempt.providerMessageId,
          };
          return;
        }
        const { exhausted, nextMs } = planChannelRetry(attempt, attempts, firstAttemptMs, now());
        const update = { ...row, ...answer, attempts, firstAttemptMs, error: attempt.error };
        if (!exhausted) {
          await deps.channels.update({ ...update, status: 'pending', nextAttemptMs: nextMs });
          wait(row.deliveryKey, nextMs);
          return;
        }
        await deps.channels.update({ ...update, status: 'failed' });
        done[name] = { outcome: 'failed', attempts, error: attempt.error, status: attempt.status };
        const outcome = await deps.channels.recordOutcome(channel.id, true, deps.disableAfter);
        if (outcome.disabledNow) {
          await deps.mailer.send(channelDisabledMessage(outcome.owner, channel, attempt.error));
          deps.log?.warn({ channelId: channel.id, type: channel.type }, 'channel disabled after failures');
        }
      };

      try {
        const rows = await deps.channels.pending(request.keys, workflowId);
        await Promise.all(
          rows.map((row) => {
            if (row.nextAttemptMs > now()) return wait(row.deliveryKey, row.nextAttemptMs);
            return deps.channelSlots(async () => {
              if (ctx.cancellationSignal.aborted) throw ctx.cancellationSignal.reason;
              await deliver(row);
              ctx.heartbeat();
            });
          }),
        );
        deps.log?.info(
          { workflowId, deliveries: rows.length, ended: Object.keys(done).length, waiting: waits.size },
          'channel deliveries made',
        );
        return { done, again: [...waits].map(([key, notBeforeMs]) => ({ key, notBeforeMs })) };
      } finally {
        clearInterval(beat);
      }
    },
  };
}

export type ChannelDeliveryActivities = ReturnType<typeof createChannelDelivery>;
