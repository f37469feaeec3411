/**
 * POST /reminders/send-test: starts the test reminder workflow for one of the caller's own subscriptions
 * (sent at once, no log row), at most 5 times per hour per user (docs/security.md).
 */
import crypto from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { Limiter } from '../auth/rate-limits';
import type { Database } from '../db/database';
import { ConflictError, NotFoundError } from '../errors';
import { WORKFLOW_TYPES, type ReminderInput, type WorkflowIds } from '../temporal/contract';
import { startWorkflow } from '../temporal/start-workflow';
import type { reminderTestWorkflow } from '../../workflows/reminder-test.workflow';

export interface ReminderTestDeps {
  db: Database;
  temporal: { client: Client; ids: WorkflowIds; taskQueue: string };
  /** The per-user budget of test sends (src/auth/rate-limits.ts). */
  limit: Limiter;
  now?: () => number;
}

export function createReminderTestService(deps: ReminderTestDeps) {
  const now = deps.now ?? Date.now;

  /** Starts the test reminder and returns its workflow id; the email goes to the caller only. */
  async function sendTest(userId: number, subscriptionId: number): Promise<{ workflowId: string }> {
    const { Subscription, User } = deps.db.models;
    const sub = await Subscription.findOne({ where: { id: subscriptionId, userId } });
    if (!sub) throw new NotFoundError('Subscription not found.', 'subscription_not_found');
    const user = await User.findByPk(userId, { attributes: ['id', 'emailVerifiedAt'] });
    if (!user?.emailVerifiedAt) {
      throw new ConflictError(
        'email_not_verified',
        'Confirm your email address before sending a test reminder.',
      );
    }
    await deps.limit.consume(String(userId));
    const { client, ids, taskQueue } = deps.temporal;
    const workflowId = ids.reminderTest(sub.id, crypto.randomUUID().slice(0, 8));
    const input: ReminderInput = {
      subscriptionId: sub.id,
      dueDate: sub.nextPaymentDate,
      offsetDays: 0,
      instantMs: now(),
      test: true,
    };
    await startWorkflow<typeof reminderTestWorkflow>(client, WORKFLOW_TYPES.reminderTest, {
      taskQueue,
      workflowId,
      args: [input],
    });
    return { workflowId };
  }

  return { sendTest };
}

export type ReminderTestService = ReturnType<typeof createReminderTestService>;
