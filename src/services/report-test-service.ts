/**
 * POST /stats/send-test: runs the caller's real report (the same per-user workflow the schedule starts) in test
 * mode: no waiting for the month's end, no monthly_reports row, to the caller's own verified address only. At
 * most 5 per hour per user (DESIGN.md section 7), a budget of its own next to the test reminder's.
 */
import crypto from 'node:crypto';
import type { Client } from '@temporalio/client';
import type Redis from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Database } from '../db/database';
import { ConflictError, NotFoundError, RateLimitedError, UnavailableError } from '../errors';
import { WORKFLOW_TYPES, type UserReportInput, type WorkflowIds } from '../temporal/contract';
import { localMonth, previousMonth, type IsoMonth } from '../time';
import type { userReportWorkflow } from '../../workflows/user-report.workflow';
import { SEND_TEST_BUDGET } from './reminder-test-service';

export interface ReportTestDeps {
  db: Database;
  temporal: { client: Client; ids: WorkflowIds; taskQueue: string };
  /** Budgets shared by every API process when given; per process otherwise. */
  redis?: Redis;
  /** Namespaces the limiter keys (the deployment's id prefix). */
  prefix?: string;
  now?: () => number;
}

export function createReportTestService(deps: ReportTestDeps) {
  const keyPrefix = `${deps.prefix ?? ''}rl:reportSendTest`;
  const memory = new RateLimiterMemory({ keyPrefix, ...SEND_TEST_BUDGET });
  const limiter = deps.redis
    ? new RateLimiterRedis({
        storeClient: deps.redis,
        keyPrefix,
        ...SEND_TEST_BUDGET,
        insuranceLimiter: memory,
      })
    : memory;
  const now = deps.now ?? Date.now;

  async function spend(userId: number): Promise<void> {
    try {
      await limiter.consume(String(userId));
    } catch (err) {
      if (err instanceof RateLimiterRes)
        throw new RateLimitedError(Math.max(1, Math.ceil(err.msBeforeNext / 1000)));
      throw Object.assign(new UnavailableError('redis'), { cause: err });
    }
  }

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
    await spend(userId);
    const reported = month ?? previousMonth(localMonth(now(), user.timezone));
    const { client, ids, taskQueue } = deps.temporal;
    const workflowId = ids.reportTest(userId, reported, crypto.randomUUID().slice(0, 8));
    const input: UserReportInput = { userId, month: reported, test: true };
    try {
      await client.withDeadline(Date.now() + 2000, () =>
        client.workflow.start<typeof userReportWorkflow>(WORKFLOW_TYPES.userReport, {
          taskQueue,
          workflowId,
          args: [input],
        }),
      );
    } catch (err) {
      throw Object.assign(new UnavailableError('temporal'), { cause: err });
    }
    return { workflowId, month: reported };
  }

  return { sendTest };
}

export type ReportTestService = ReturnType<typeof createReportTestService>;
