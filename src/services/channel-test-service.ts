/**
 * POST /users/me/channels/{id}/test: plans one delivery of a sample reminder (typed `channel.test`) to one of the
 * caller's channels and starts the workflow that delivers it with the batches' retries and logging, at most 10
 * times per hour per user (docs/security.md).
 */
import crypto from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { Limiter } from '../auth/rate-limits';
import { reminderEvent } from '../channels/channel-event';
import type { Database } from '../db/database';
import { ConflictError, NotFoundError } from '../errors';
import { addDays, localDate } from '../time';
import {
  channelTestKeyOf,
  WORKFLOW_TYPES,
  type ChannelTestInput,
  type WorkflowIds,
} from '../temporal/contract';
import { startWorkflow } from '../temporal/start-workflow';
import type { channelTestWorkflow } from '../../workflows/channel-test.workflow';

export interface ChannelTestDeps {
  db: Database;
  temporal: { client: Client; ids: WorkflowIds; taskQueue: string };
  /** The per-user budget of channel tests (src/auth/rate-limits.ts). */
  limit: Limiter;
  now?: () => number;
}

/** Days ahead of the sample reminder's payment. */
const SAMPLE_OFFSET_DAYS = 7;

export function createChannelTestService(deps: ChannelTestDeps) {
  const now = deps.now ?? Date.now;

  /** Starts the test and returns its workflow id. A disabled channel is refused: enable it first. */
  async function sendTest(userId: number, channelId: number): Promise<{ workflowId: string }> {
    const { Channel, ChannelDelivery, User } = deps.db.models;
    const channel = await Channel.findOne({ where: { id: channelId, userId } });
    if (!channel) throw new NotFoundError('Channel not found.', 'channel_not_found');
    if (!channel.enabled) {
      throw new ConflictError('channel_disabled', 'Enable the channel before sending it a test message.');
    }
    const user = await User.findByPk(userId, { attributes: ['id', 'currency', 'timezone'] });
    if (!user) throw new NotFoundError('User not found.', 'user_not_found');
    await deps.limit.consume(String(userId));

    const nonce = crypto.randomUUID().slice(0, 8);
    const { client, ids, taskQueue } = deps.temporal;
    const workflowId = ids.channelTest(channel.id, nonce);
    const key = channelTestKeyOf(channel.id, nonce);
    const at = now();
    const payload = reminderEvent({
      deliveryKey: key,
      subscription: { id: 0, name: 'SubTracker test', priceMinor: 999, currency: user.currency },
      dueDate: addDays(localDate(at, user.timezone), SAMPLE_OFFSET_DAYS),
      offsetDays: SAMPLE_OFFSET_DAYS,
      instantMs: at,
      nowMs: at,
      test: true,
    });
    // Planned before the start, for this workflow id: the workflow only delivers what is planned for it.
    const row = await ChannelDelivery.create({
      channelId: channel.id,
      userId,
      deliveryKey: key,
      event: 'test',
      messageId: payload.id,
      payload: JSON.stringify(payload),
      status: 'pending',
      nextAttemptAt: new Date(at),
      workflowId,
    });
    const input: ChannelTestInput = { key, channelId: channel.id };
    try {
      // The id holds a fresh nonce: it is never already started.
      await startWorkflow<typeof channelTestWorkflow>(client, WORKFLOW_TYPES.channelTest, {
        taskQueue,
        workflowId,
        args: [input],
      });
    } catch (err) {
      // Nothing will deliver it: no pending row is left behind.
      await row.destroy().catch(() => undefined);
      throw err;
    }
    return { workflowId };
  }

  return { sendTest };
}

export type ChannelTestService = ReturnType<typeof createChannelTestService>;
