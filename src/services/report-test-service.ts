/**
 * POST /stats/send-test: runs the caller's real report (the same per-user workflow the schedule starts) in test
 * mode: no waiting for the month's end, no monthly_reports row, to the caller's own verified address only. At
 * most 5 per hour per user (docs/security.md), a budget of its own next to the test reminder's.
 */
import crypto from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { Limiter } from '../auth/rate-limits';
import type { Database } from '../db/database';
import { ConflictError, NotFoundError } from '../errors';
import { WORKFLOW_TYPES, type UserReportInput, type WorkflowIds } from '../temporal/contract';
import { startWorkflow } from '../temporal/start-workflow';
import { localMonth, previousMonth, type IsoMonth } from '../time';
import type { userReportWorkflow } from '../../workflows/user-report.workflow';

export interface ReportTestDeps {
  db: Database;
  temporal: { client: Client; ids: WorkflowIds; taskQueue: string };
  /** The per-user budget of test sends (src/auth/rate-limits.ts). */
  limit: Limiter;
  now?: () => number;
}

export function createReportTestService(deps: ReportTestDeps) {
  const now = deps.now ?? Date.now;

  /**
   * Starts the caller's test report of `month` (default: the last month that has ended in their zone) and
   * returns its workflow id and month.
   */
  async function sendTest(
    userId: number,
    month?: IsoMonth,
  ): Promise<{ workflowId: string; month: IsoMonth }> {
    const user = await deps.db.models.User.findByPk(userId, {
      attributes: ['id', 'emailVerifiedAt', 'timezone'],
    });
    if (!user) throw new NotFoundError('User not found.', 'user_not_found');
    if (!user.emailVerifiedAt) {
      throw new ConflictError(
        'email_not_verified',
        'Confirm your email address before sending a test report.',
      );
    }
    await deps.limit.consume(String(userId));
    const reported = month ?? previousMonth(localMonth(now(), user.timezone));
    const { client, ids, taskQueue } = deps.temporal;
    const workflowId = ids.reportTest(userId, reported, crypto.randomUUID().slice(0, 8));
    const input: UserReportInput = { userId, month: reported, test: true };
    await startWorkflow<typeof userReportWorkflow>(client, WORKFLOW_TYPES.userReport, {
      taskQueue,
      workflowId,
      args: [input],
    });
    return { workflowId, month: reported };
  }

  return { sendTest };
}

export type ReportTestService = ReturnType<typeof createReportTestService>;
