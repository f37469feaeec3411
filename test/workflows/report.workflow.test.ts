import { createReportActivities } from '../../activities/report-activities';
import { createMailgunMailer } from '../../src/mail/mailgun-mailer';
import type { Mailer } from '../../src/mail/mailer';
import type { ReportUser } from '../../activities/ports';
import {
  createIds,
  MONTHLY_REPORT_PAGE_SIZE,
  reportBatchDigest,
  type BatchReportUser,
  type MonthlyReportCounts,
  type ReportBatchResult,
  type UserReportInput,
  type UserReportResult,
} from '../../src/temporal/contract';
import { addMonths, localMonth, monthEndInstant } from '../../src/time';
import { reportMonthAt } from '../../workflows/monthly-report.workflow';
import { eventually } from '../helpers/accounts';
import { startFakeMailgun, type FakeMailgun } from '../helpers/fake-mailgun';
import { testSendSlots } from '../helpers/reminder-fakes';
import { createSendHold } from '../helpers/send-hold';
import { createMemoryReportStore, reportCharge, reportLinks, reportUser } from '../helpers/report-fakes';
import { startTimeSkipping, startWorker, uniquePrefix, uniqueTaskQueue } from '../helpers/temporal';

const HOUR = 3_600_000;
const MINUTE = 60_000;

/**
 * A time-skipping server with a worker running the real report activities on in-memory fakes, the real
 * mailgun.js client against the fake Mailgun, and the server time of each send attempt.
 */
async function startHarness(fake: FakeMailgun) {
  const prefix = uniquePrefix('report');
  const taskQueue = uniqueTaskQueue();
  const fakes = createMemoryReportStore();
  const sendTimes: { to: string; atMs: number }[] = [];
  const env = await startTimeSkipping();
  const real = createMailgunMailer({
    apiKey: fake.apiKey,
    domain: 'mg.test',
    url: fake.url,
    from: 'SubTracker <no-reply@mg.test>',
    timeoutMs: 2000,
  });
  const hold = createSendHold();
  const mailer: Mailer = hold.wrap({
    async send(message) {
      sendTimes.push({ to: message.to, atMs: await env.currentTimeMs() });
      return real.send(message);
    },
  });
  const worker = await startWorker(
    env,
    taskQueue,
    createReportActivities({ ...fakes.deps, mailer, links: reportLinks, sendSlots: testSendSlots }),
  );
  const running = worker.run();
  let nextUserId = 1;
  const ids = createIds(prefix);

  return {
    env,
    ids,
    taskQueue,
    fakes,
    sendTimes,
    hold,
    async close() {
      worker.shutdown();
      await running;
      await env.teardown();
    },

    /** Adds a user who had `amounts` (USD minor units) charged in `month`. */
    addUser(month: string, amounts: number[], overrides: Parameters<typeof reportUser>[1] = {}) {
      const user = reportUser(nextUserId++, overrides);
      fakes.users.set(user.id, user);
      fakes.setCharges(
        user.id,
        month,
        amounts.map((amount, i) => reportCharge(`${month}-0${i + 1}`, amount)),
      );
      return user;
    },

    /**
     * Moves the server's clock (which starts at today and only moves forward) to the next 1st at 00:00 UTC,
     * when the schedule runs, and returns the month that has just ended in UTC and that instant.
     */
    async atNextScheduledRun(): Promise<{ month: string; runAtMs: number }> {
      const now = await env.currentTimeMs();
      const month = localMonth(now, 'UTC');
      const runAtMs = monthEndInstant(month, 'UTC');
      await env.sleep(runAtMs - now);
      return { month, runAtMs };
    },

    runReport(input: UserReportInput, workflowId = ids.report(input.userId, input.month)) {
      return env.client.workflow.execute('userReportWorkflow', {
        taskQueue,
        workflowId,
        args: [input],
        workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
      }) as Promise<UserReportResult>;
    },

    runMonthly(month: string, pageSize?: number): Promise<MonthlyReportCounts> {
      return env.client.workflow.execute('monthlyReportWorkflow', {
        taskQueue,
        workflowId: `${prefix}monthly-${month}-${nextUserId++}`,
        args: [{ idPrefix: prefix, month, pageSize }],
      });
    },

    /** The batch of `users` (one instant) as the fan-out names it, and its input. */
    batchOf(month: string, users: readonly ReportUser[]) {
      const listed: BatchReportUser[] = users.map((u) => ({
        userId: u.id,
        instantMs: monthEndInstant(month, u.timezone, u.reminderHour),
      }));
      const workflowId = ids.reportBatch(month, listed[0].instantMs, reportBatchDigest(listed));
      return { workflowId, input: { month, users: listed } };
    },

    /** Starts the batch of `users` (their instants as the fan-out computed them). */
    startBatch(month: string, users: readonly ReportUser[]) {
      const batch = this.batchOf(month, users);
      return env.client.workflow.start('reportBatchWorkflow', {
        taskQueue,
        workflowId: batch.workflowId,
        args: [batch.input],
      });
    },

    /** Runs the batch of `users` (their instants as the fan-out computed them) to its end. */
    runBatch(month: string, users: readonly ReportUser[], workflowId?: string): Promise<ReportBatchResult> {
      const batch = this.batchOf(month, users);
      return env.client.workflow.execute('reportBatchWorkflow', {
        taskQueue,
        workflowId: workflowId ?? batch.workflowId,
        args: [batch.input],
        workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
      });
    },

    /**
     * The batches a fan-out of `month` starts, as it names them: the recipients in pages of `pageSize` by id,
     * each page grouped by instant.
     */
    fanOutBatches(month: string, pageSize = MONTHLY_REPORT_PAGE_SIZE): string[] {
      const recipients = [...fakes.users.values()]
        .filter((u) => u.emailVerified && u.monthlyReport)
        .sort((a, b) => a.id - b.id);
      const batchIds: string[] = [];
      for (let i = 0; i < recipients.length; i += pageSize) {
        const groups = new Map<number, ReportUser[]>();
        for (const u of recipients.slice(i, i + pageSize)) {
          const instant = monthEndInstant(month, u.timezone, u.reminderHour);
          groups.set(instant, [...(groups.get(instant) ?? []), u]);
        }
        for (const group of groups.values()) batchIds.push(this.batchOf(month, group).workflowId);
      }
      return batchIds;
    },

    /** Every outcome of the fan-out's batches of `month`, by user id, once they have ended. */
    async fanOutOutcomes(month: string, pageSize?: number): Promise<Record<string, UserReportResult>> {
      const outcomes: Record<string, UserReportResult> = {};
      for (const id of this.fanOutBatches(month, pageSize)) {
        const result = (await env.client.workflow.getHandle(id).result()) as ReportBatchResult;
        Object.assign(outcomes, result.outcomes);
      }
      return outcomes;
    },

    /** The user's outcome in the fan-out's batch that holds them. */
    async reportResult(userId: number, month: string, pageSize?: number): Promise<UserReportResult> {
      return (await this.fanOutOutcomes(month, pageSize))[userId];
    },
  };
}
type Harness = Awaited<ReturnType<typeof startHarness>>;

describe('userReportWorkflow (time skipping, real Mailgun client against the fake Mailgun)', () => {
  let fake: FakeMailgun;
  let h: Harness;

  beforeAll(async () => {
    fake = await startFakeMailgun();
    h = await startHarness(fake);
  });
  beforeEach(() => {
    fake.reset();
    h.sendTimes.length = 0;
    h.fakes.outage.clear();
  });
  afterAll(async () => {
    await h?.close();
    await fake?.close();
  });

  it('takes the month before the scheduled instant, in UTC', () => {
    expect(reportMonthAt(Date.parse('2026-12-01T00:00:00Z'))).toBe('2026-11');
    expect(reportMonthAt(Date.parse('2027-01-01T00:00:00Z'))).toBe('2026-12');
    expect(reportMonthAt(Date.parse('2026-11-30T23:59:59Z'))).toBe('2026-10');
  });

  it('a user in America/Los_Angeles gets the report only once the month has ended there, at their hour', async () => {
    const { month, runAtMs } = await h.atNextScheduledRun();
    const user = h.addUser(month, [1_599, 4_900], { timezone: 'America/Los_Angeles' });

    const result = await h.runReport({ userId: user.id, month });

    expect(result).toMatchObject({ outcome: 'sent', attempts: 1 });
    expect(h.sendTimes).toHaveLength(1);
    // 09:00 in Los Angeles on the 1st is 16:00 or 17:00 UTC: never before, and not much later.
    const endedThere = monthEndInstant(month, 'America/Los_Angeles', 9);
    expect(endedThere - runAtMs).toBeGreaterThanOrEqual(16 * HOUR);
    expect(h.sendTimes[0].atMs).toBeGreaterThanOrEqual(endedThere);
    expect(h.sendTimes[0].atMs - endedThere).toBeLessThan(60_000);
    expect(h.fakes.row(user.id, month)).toMatchObject({
      status: 'sent',
      totals: { currency: 'USD', byCurrency: { USD: { totalMinor: 6_499, chargesCount: 2 } } },
    });
  });

  it('a user in Pacific/Kiritimati gets it at once: the month ended there hours before it did in UTC', async () => {
    const { month, runAtMs } = await h.atNextScheduledRun();
    const user = h.addUser(month, [999], { timezone: 'Pacific/Kiritimati' });

    expect(await h.runReport({ userId: user.id, month })).toMatchObject({ outcome: 'sent' });

    expect(h.sendTimes).toHaveLength(1);
    expect(h.sendTimes[0].atMs - runAtMs).toBeLessThan(60_000);
    const [message] = fake.messages;
    expect(message.to).toBe(user.email);
    expect(message.text).toContain('$9.99');
    expect(message.headers['List-Unsubscribe']).toBe(`<${reportLinks.reportsUnsubscribe(user.id)}>`);
    expect(message.variables.idempotency_key).toBe(`report:${user.id}:${month}`);
  });

  it('no charges: records skipped and sends nothing', async () => {
    const { month } = await h.atNextScheduledRun();
    const user = h.addUser(month, []);

    expect(await h.runReport({ userId: user.id, month })).toEqual({
      outcome: 'skipped',
      reason: 'no_charges',
    });
    expect(fake.requests).toBe(0);
    expect(h.fakes.row(user.id, month)).toMatchObject({ status: 'skipped', totals: { byCurrency: {} } });
  });

  it('a send failing with 503 twice is retried and ends as one report', async () => {
    const { month } = await h.atNextScheduledRun();
    const user = h.addUser(month, [1_000]);
    fake.failNext(2, { status: 503 });

    const result = await h.runReport({ userId: user.id, month });

    expect(result).toMatchObject({ outcome: 'sent', attempts: 3 });
    expect(fake.requests).toBe(3);
    expect(fake.messages).toHaveLength(1);
    expect(h.fakes.row(user.id, month)?.status).toBe('sent');
  });

  it('a database outage of 5 minutes as the month ends only delays the report: sent once, then recorded', async () => {
    const { month, runAtMs } = await h.atNextScheduledRun();
    const user = h.addUser(month, [1_000], { timezone: 'Pacific/Kiritimati' });
    h.fakes.outage.during(() => h.env.currentTimeMs(), runAtMs, runAtMs + 5 * MINUTE);

    const result = await h.runReport({ userId: user.id, month });

    expect(result).toMatchObject({ outcome: 'sent', attempts: 1 });
    expect(h.fakes.outage.refused).toBeGreaterThan(0);
    expect(fake.messages).toHaveLength(1);
    expect(h.sendTimes).toHaveLength(1);
    expect(h.sendTimes[0].atMs).toBeGreaterThanOrEqual(runAtMs + 5 * MINUTE);
    expect(h.fakes.row(user.id, month)).toMatchObject({
      status: 'sent',
      providerMessageId: fake.messages[0].id,
    });
  });

  it('the same report id started twice sends one report; a later run under another id finds the row', async () => {
    const { month } = await h.atNextScheduledRun();
    const user = h.addUser(month, [1_000]);
    const input = { userId: user.id, month };

    const [first, second] = await Promise.allSettled([h.runReport(input), h.runReport(input)]);
    const outcomes = [first, second].map((r) => (r.status === 'fulfilled' ? r.value.outcome : r.reason.name));
    expect(outcomes.sort()).toEqual(['WorkflowExecutionAlreadyStartedError', 'sent']);
    // Completed: the reuse policy refuses the id again.
    await expect(h.runReport(input)).rejects.toMatchObject({ name: 'WorkflowExecutionAlreadyStartedError' });
    // History gone (retention), the row stays: a fresh run under another id sends nothing.
    expect(await h.runReport(input, `${h.ids.report(user.id, month)}-again`)).toEqual({
      outcome: 'skipped',
      reason: 'already_recorded',
    });
    expect(fake.messages).toHaveLength(1);
  });

  it('gives up after exhausted retries and records the report as failed', async () => {
    const { month } = await h.atNextScheduledRun();
    const user = h.addUser(month, [1_000]);
    fake.failNext(8, { status: 503 });

    const result = await h.runReport({ userId: user.id, month });

    expect(result).toEqual({ outcome: 'failed', attempts: 8, error: expect.stringContaining('503') });
    expect(h.fakes.row(user.id, month)?.status).toBe('failed');
    expect(fake.messages).toHaveLength(0);
  });

  it('reports the attempts made when the send ends on its 2 h schedule-to-close (long 429 Retry-After)', async () => {
    const { month } = await h.atNextScheduledRun();
    const user = h.addUser(month, [1_000]);
    fake.failNext(5, { status: 429, retryAfter: 3_000 });

    const result = await h.runReport({ userId: user.id, month });

    // Attempts at 0, 50 and 100 min; the next, at 150 min, would pass the 2 h budget: the server times it out.
    expect(result).toEqual({ outcome: 'failed', attempts: 3, error: expect.stringContaining('429') });
    expect(result).toMatchObject({ error: expect.stringContaining('time budget ran out') });
    expect(fake.requests).toBe(3);
    expect(h.fakes.row(user.id, month)?.status).toBe('failed');
    expect(fake.messages).toHaveLength(0);
  });

  it('reports the attempts made when the 2 h schedule-to-close ends an attempt in flight', async () => {
    const { month } = await h.atNextScheduledRun();
    const user = h.addUser(month, [1_000]);
    // Attempts at 0, 5 s and 15 s; the third's Retry-After puts the fourth some 20 s before the budget ends.
    fake.failNext(2, { status: 503 });
    fake.failNext(1, { status: 429, retryAfter: 7_165 });
    h.hold.holdNth(4);
    try {
      const running = h.runReport({ userId: user.id, month });
      await eventually(() => h.hold.held() || undefined, 30_000);
      // The server skips no time while an attempt runs: move its clock past the budget by hand.
      await h.env.sleep(MINUTE);
      const result = await running;

      // The server's TimeoutFailure carries the third attempt's failure as its cause.
      expect(result).toEqual({
        outcome: 'failed',
        attempts: 3,
        error: expect.stringMatching(/429.*time budget ran out/),
      });
      expect(fake.requests).toBe(3);
      expect(h.fakes.row(user.id, month)?.status).toBe('failed');
      expect(fake.messages).toHaveLength(0);
    } finally {
      h.hold.release();
    }
  });

  it('sends nothing and records nothing for unverified, opted-out or deleted users', async () => {
    const { month } = await h.atNextScheduledRun();
    const unverified = h.addUser(month, [100], { emailVerified: false });
    const optedOut = h.addUser(month, [100], { monthlyReport: false });

    expect(await h.runReport({ userId: unverified.id, month })).toEqual({
      outcome: 'skipped',
      reason: 'unverified',
    });
    expect(await h.runReport({ userId: optedOut.id, month })).toEqual({
      outcome: 'skipped',
      reason: 'disabled',
    });
    expect(await h.runReport({ userId: 999_999, month })).toEqual({ outcome: 'skipped', reason: 'deleted' });
    expect(fake.requests).toBe(0);
    expect([unverified.id, optedOut.id].map((id) => h.fakes.row(id, month))).toEqual([undefined, undefined]);
  });

  it('a test send goes out at once, for a month not yet over, and leaves no row', async () => {
    const now = await h.env.currentTimeMs();
    const month = addMonths(localMonth(now, 'UTC'), 1);
    const user = h.addUser(month, [700], { monthlyReport: false });

    const result = await h.runReport(
      { userId: user.id, month, test: true },
      h.ids.reportTest(user.id, month, 'n1'),
    );

    expect(result).toMatchObject({ outcome: 'sent' });
    expect(h.sendTimes[0].atMs - now).toBeLessThan(60_000);
    expect(fake.messages[0].subject).toMatch(/^\[Test\] /);
    expect(h.fakes.row(user.id, month)).toBeUndefined();
  });
});

describe('reportBatchWorkflow (time skipping, real Mailgun client against the fake Mailgun)', () => {
  let fake: FakeMailgun;
  let h: Harness;

  beforeAll(async () => {
    fake = await startFakeMailgun();
    h = await startHarness(fake);
  });
  beforeEach(() => {
    fake.reset();
    h.sendTimes.length = 0;
    h.fakes.outage.clear();
  });
  afterAll(async () => {
    await h?.close();
    await fake?.close();
  });

  it('a user in America/Los_Angeles gets the report only once the month has ended there, at their hour', async () => {
    const { month, runAtMs } = await h.atNextScheduledRun();
    const user = h.addUser(month, [1_599, 4_900], { timezone: 'America/Los_Angeles' });

    const { outcomes } = await h.runBatch(month, [user]);

    expect(outcomes[user.id]).toMatchObject({ outcome: 'sent', attempts: 1 });
    expect(h.sendTimes).toHaveLength(1);
    const endedThere = monthEndInstant(month, 'America/Los_Angeles', 9);
    expect(endedThere - runAtMs).toBeGreaterThanOrEqual(16 * HOUR);
    expect(h.sendTimes[0].atMs).toBeGreaterThanOrEqual(endedThere);
    expect(h.sendTimes[0].atMs - endedThere).toBeLessThan(60_000);
    expect(h.fakes.row(user.id, month)).toMatchObject({
      status: 'sent',
      providerMessageId: fake.messages[0].id,
      totals: { currency: 'USD', byCurrency: { USD: { totalMinor: 6_499, chargesCount: 2 } } },
    });
  });

  it('a user in Pacific/Kiritimati gets it at once: the month ended there hours before it did in UTC', async () => {
    const { month, runAtMs } = await h.atNextScheduledRun();
    const user = h.addUser(month, [999], { timezone: 'Pacific/Kiritimati' });

    expect((await h.runBatch(month, [user])).outcomes[user.id]).toMatchObject({ outcome: 'sent' });

    expect(h.sendTimes).toHaveLength(1);
    expect(h.sendTimes[0].atMs - runAtMs).toBeLessThan(60_000);
    const [message] = fake.messages;
    expect(message.to).toBe(user.email);
    expect(message.text).toContain('$9.99');
    expect(message.headers['List-Unsubscribe']).toBe(`<${reportLinks.reportsUnsubscribe(user.id)}>`);
    expect(message.variables.idempotency_key).toBe(`report:${user.id}:${month}`);
  });

  it('a user whose zone moved west while the batch slept comes back and gets it at the new instant', async () => {
    const { month } = await h.atNextScheduledRun();
    const user = h.addUser(month, [1_000], { timezone: 'Europe/Berlin' });
    // The fan-out listed them at Berlin's instant; they moved to Los Angeles before it came.
    const { workflowId, input } = h.batchOf(month, [user]);
    h.fakes.users.set(user.id, { ...user, timezone: 'America/Los_Angeles' });

    const { outcomes } = await h.runBatch(month, [user], workflowId);

    expect(input.users[0].instantMs).toBe(monthEndInstant(month, 'Europe/Berlin', 9));
    expect(outcomes[user.id]).toMatchObject({ outcome: 'sent', attempts: 1 });
    expect(h.sendTimes).toHaveLength(1);
    const endedThere = monthEndInstant(month, 'America/Los_Angeles', 9);
    expect(h.sendTimes[0].atMs).toBeGreaterThanOrEqual(endedThere);
    expect(h.sendTimes[0].atMs - endedThere).toBeLessThan(60_000);
  });

  it('no charges: records skipped and sends nothing', async () => {
    const { month } = await h.atNextScheduledRun();
    const user = h.addUser(month, []);

    expect((await h.runBatch(month, [user])).outcomes[user.id]).toEqual({
      outcome: 'skipped',
      reason: 'no_charges',
    });
    expect(fake.requests).toBe(0);
    expect(h.fakes.row(user.id, month)).toMatchObject({ status: 'skipped', totals: { byCurrency: {} } });
  });

  it('a send failing with 503 twice is retried after a durable backoff and ends as one report', async () => {
    const { month } = await h.atNextScheduledRun();
    const user = h.addUser(month, [1_000]);
    fake.failNext(2, { status: 503 });

    const { outcomes } = await h.runBatch(month, [user]);

    expect(outcomes[user.id]).toMatchObject({ outcome: 'sent', attempts: 3 });
    expect(fake.requests).toBe(3);
    expect(fake.messages).toHaveLength(1);
    expect(h.fakes.row(user.id, month)?.status).toBe('sent');
    // MAIL_RETRY's backoff: 5 s, then 10 s.
    const gaps = h.sendTimes.slice(1).map((s, i) => s.atMs - h.sendTimes[i].atMs);
    expect(gaps[0]).toBeGreaterThanOrEqual(5_000);
    expect(gaps[1]).toBeGreaterThanOrEqual(10_000);
  });

  it('a database outage of 5 minutes as the month ends only delays the report: sent once, then recorded', async () => {
    const { month, runAtMs } = await h.atNextScheduledRun();
    const user = h.addUser(month, [1_000], { timezone: 'Pacific/Kiritimati' });
    h.fakes.outage.during(() => h.env.currentTimeMs(), runAtMs, runAtMs + 5 * MINUTE);

    const { outcomes } = await h.runBatch(month, [user]);

    expect(outcomes[user.id]).toMatchObject({ outcome: 'sent', attempts: 1 });
    expect(h.fakes.outage.refused).toBeGreaterThan(0);
    expect(fake.messages).toHaveLength(1);
    expect(h.sendTimes).toHaveLength(1);
    expect(h.sendTimes[0].atMs).toBeGreaterThanOrEqual(runAtMs + 5 * MINUTE);
    expect(h.fakes.row(user.id, month)).toMatchObject({
      status: 'sent',
      providerMessageId: fake.messages[0].id,
    });
  });

  it('the same batch id started twice sends one report; a later batch under another id finds the row', async () => {
    const { month } = await h.atNextScheduledRun();
    const user = h.addUser(month, [1_000]);

    const [first, second] = await Promise.allSettled([h.runBatch(month, [user]), h.runBatch(month, [user])]);
    const outcomes = [first, second].map((r) =>
      r.status === 'fulfilled' ? r.value.outcomes[user.id].outcome : r.reason.name,
    );
    expect(outcomes.sort()).toEqual(['WorkflowExecutionAlreadyStartedError', 'sent']);
    // Completed: the reuse policy refuses the id again.
    await expect(h.runBatch(month, [user])).rejects.toMatchObject({
      name: 'WorkflowExecutionAlreadyStartedError',
    });
    // History gone (retention), the row stays: a fresh batch under another id sends nothing.
    const again = await h.runBatch(month, [user], `${h.batchOf(month, [user]).workflowId}-again`);
    expect(again.outcomes[user.id]).toEqual({ outcome: 'skipped', reason: 'already_recorded' });
    expect(fake.messages).toHaveLength(1);
  });

  it('gives up after exhausted retries and records the report as failed', async () => {
    const { month } = await h.atNextScheduledRun();
    const user = h.addUser(month, [1_000]);
    fake.failNext(8, { status: 503 });

    const { outcomes } = await h.runBatch(month, [user]);

    expect(outcomes[user.id]).toEqual({
      outcome: 'failed',
      attempts: 8,
      error: expect.stringContaining('503'),
    });
    expect(h.fakes.row(user.id, month)?.status).toBe('failed');
    expect(fake.messages).toHaveLength(0);
  });

  it('sends nothing and records nothing for unverified, opted-out or deleted users', async () => {
    const { month } = await h.atNextScheduledRun();
    const unverified = h.addUser(month, [100], { emailVerified: false });
    const optedOut = h.addUser(month, [100], { monthlyReport: false });
    const deleted = reportUser(999_999);

    const { outcomes } = await h.runBatch(month, [unverified, optedOut, deleted]);

    expect(outcomes).toEqual({
      [unverified.id]: { outcome: 'skipped', reason: 'unverified' },
      [optedOut.id]: { outcome: 'skipped', reason: 'disabled' },
      [deleted.id]: { outcome: 'skipped', reason: 'deleted' },
    });
    expect(fake.requests).toBe(0);
    expect([unverified.id, optedOut.id].map((id) => h.fakes.row(id, month))).toEqual([undefined, undefined]);
  });

  it('continues as new while users wait out their retries, and still ends with every outcome', async () => {
    const { month } = await h.atNextScheduledRun();
    const users = [h.addUser(month, [100]), h.addUser(month, [200])];
    fake.failNext(3, { status: 503 });
    const { workflowId, input } = h.batchOf(month, users);

    const handle = await h.env.client.workflow.start('reportBatchWorkflow', {
      taskQueue: h.taskQueue,
      workflowId,
      args: [{ ...input, historyLimit: 10 }],
    });
    const { outcomes } = (await handle.result()) as ReportBatchResult;

    expect(Object.values(outcomes).map((o) => o.outcome)).toEqual(['sent', 'sent']);
    expect(fake.messages).toHaveLength(2);
    const described = await handle.describe();
    expect(described.runId).not.toBe(handle.firstExecutionRunId);
  });
});

/**
 * A fresh server per test: on the Java test server, a parent that completes while its abandoned child is still
 * open leaves time skipping locked for good (measured: a 1 h sleep afterwards never ends). These tests report a
 * month that has ended everywhere, so they need no skipping.
 */
describe('monthlyReportWorkflow (time skipping)', () => {
  let fake: FakeMailgun;
  let h: Harness;

  beforeAll(async () => {
    fake = await startFakeMailgun();
  });
  beforeEach(async () => {
    fake.reset();
    h = await startHarness(fake);
  });
  afterEach(async () => {
    await h?.close();
  });
  afterAll(async () => {
    await fake?.close();
  });

  async function endedMonth(): Promise<string> {
    return addMonths(localMonth(await h.env.currentTimeMs(), 'UTC'), -1);
  }

  it('starts one batch per instant of the users who want reports; a second run for the month starts none', async () => {
    const month = await endedMonth();
    const wanted = [h.addUser(month, [1_000]), h.addUser(month, [2_000], { timezone: 'Pacific/Kiritimati' })];
    h.addUser(month, [100], { emailVerified: false });
    h.addUser(month, [100], { monthlyReport: false });

    expect(await h.runMonthly(month)).toEqual({
      batchesStarted: 2,
      batchesAlreadyStarted: 0,
      usersStarted: 2,
      usersAlreadyStarted: 0,
    });
    const outcomes = await h.fanOutOutcomes(month);
    expect(wanted.map((u) => outcomes[u.id].outcome)).toEqual(['sent', 'sent']);
    expect(Object.keys(outcomes)).toHaveLength(2);

    expect(await h.runMonthly(month)).toEqual({
      batchesStarted: 0,
      batchesAlreadyStarted: 2,
      usersStarted: 0,
      usersAlreadyStarted: 2,
    });
    expect(fake.messages.map((m) => m.to).sort()).toEqual(wanted.map((u) => u.email).sort());
  });

  it('a second fan-out of the month that lists the users into a new batch sends nothing twice', async () => {
    const month = await endedMonth();
    const first = [h.addUser(month, [1_000]), h.addUser(month, [2_000])];
    expect(await h.runMonthly(month)).toMatchObject({ batchesStarted: 1, usersStarted: 2 });
    const before = h.fanOutBatches(month);
    await h.fanOutOutcomes(month);
    // A user more: the page (and so the batch and its id) is not the same any more.
    const late = h.addUser(month, [3_000]);

    expect(await h.runMonthly(month)).toEqual({
      batchesStarted: 1,
      batchesAlreadyStarted: 0,
      usersStarted: 3,
      usersAlreadyStarted: 0,
    });
    expect(h.fanOutBatches(month)).not.toEqual(before);
    const outcomes = await h.fanOutOutcomes(month);
    expect(outcomes).toEqual({
      [first[0].id]: { outcome: 'skipped', reason: 'already_recorded' },
      [first[1].id]: { outcome: 'skipped', reason: 'already_recorded' },
      [late.id]: expect.objectContaining({ outcome: 'sent' }),
    });
    expect(fake.messages.map((m) => m.to).sort()).toEqual([...first, late].map((u) => u.email).sort());
  });

  it('a database outage of 5 minutes at the run only delays the listing: every report is started and sent', async () => {
    const month = await endedMonth();
    const wanted = [h.addUser(month, [1_000]), h.addUser(month, [2_000])];
    const downMs = await h.env.currentTimeMs();
    h.fakes.outage.during(() => h.env.currentTimeMs(), downMs, downMs + 5 * MINUTE);

    expect(await h.runMonthly(month)).toEqual({
      batchesStarted: 1,
      batchesAlreadyStarted: 0,
      usersStarted: 2,
      usersAlreadyStarted: 0,
    });
    const outcomes = await h.fanOutOutcomes(month);
    expect(wanted.map((u) => outcomes[u.id].outcome)).toEqual(['sent', 'sent']);
    expect(h.fakes.outage.refused).toBeGreaterThan(0);
    expect(fake.messages.map((m) => m.to).sort()).toEqual(wanted.map((u) => u.email).sort());
    expect(wanted.map((u) => h.fakes.row(u.id, month)?.status)).toEqual(['sent', 'sent']);
  });

  it('pages through the users with continueAsNew and starts one batch per page and instant', async () => {
    const month = await endedMonth();
    const users = [1, 2, 3, 4, 5].map(() => h.addUser(month, [500]));

    expect(await h.runMonthly(month, 2)).toEqual({
      batchesStarted: 3,
      batchesAlreadyStarted: 0,
      usersStarted: 5,
      usersAlreadyStarted: 0,
    });
    const outcomes = await h.fanOutOutcomes(month, 2);
    expect(users.map((u) => outcomes[u.id].outcome)).toEqual(['sent', 'sent', 'sent', 'sent', 'sent']);
    expect(fake.messages).toHaveLength(5);
  });
});

/**
 * The fan-out of a month not yet over, whose batches sleep. On the Java test server, the parent completing while
 * its abandoned batches are open leaves time skipping broken (locked for good, or, unlocked by hand, skipping past
 * a timer's workflow task): the fan-out is checked on one server, and the batches it started, by the same ids and
 * inputs, are run on a second.
 */
describe('monthlyReportWorkflow across zones (time skipping)', () => {
  let fake: FakeMailgun;
  let fanOut: Harness;
  let h: Harness;

  beforeAll(async () => {
    fake = await startFakeMailgun();
    [fanOut, h] = await Promise.all([startHarness(fake), startHarness(fake)]);
  });
  afterAll(async () => {
    await fanOut?.close();
    await h?.close();
    await fake?.close();
  });

  it('users in two zones go into two batches, each sending at its own instant', async () => {
    // The month now under way: it ends in Kiritimati 22 hours before it does in Los Angeles.
    const month = localMonth(await h.env.currentTimeMs(), 'UTC');
    const arrange = (on: Harness) => ({
      east: [on.addUser(month, [100], { timezone: 'Pacific/Kiritimati' })],
      west: [
        on.addUser(month, [200], { timezone: 'America/Los_Angeles' }),
        on.addUser(month, [300], { timezone: 'America/Los_Angeles' }),
      ],
    });
    const listed = arrange(fanOut);
    const { east, west } = arrange(h);

    expect(await fanOut.runMonthly(month)).toEqual({
      batchesStarted: 2,
      batchesAlreadyStarted: 0,
      usersStarted: 3,
      usersAlreadyStarted: 0,
    });
    const batches = [fanOut.batchOf(month, listed.east), fanOut.batchOf(month, listed.west)];
    expect(fanOut.fanOutBatches(month)).toEqual(batches.map((b) => b.workflowId));
    expect(batches[1].workflowId).toMatch(
      new RegExp(
        `reports-${month}-${new Date(monthEndInstant(month, 'America/Los_Angeles', 9)).toISOString()}-2x[0-9a-f]{8}$`,
      ),
    );
    for (const { workflowId } of batches) {
      const described = await fanOut.env.client.workflow.getHandle(workflowId).describe();
      expect([described.type, described.status.name]).toEqual(['reportBatchWorkflow', 'RUNNING']);
    }

    // The same batches, started as the fan-out started them, with time moved by hand: waiting on one batch's
    // result while the other sleeps lets the time-skipping server race past the other's timer.
    const [eastRun, westRun] = await Promise.all([h.startBatch(month, east), h.startBatch(month, west)]);
    const sentTo = (users: readonly ReportUser[]) =>
      users.filter((u) => h.sendTimes.some((t) => t.to === u.email)).length;
    const skipTo = async (ms: number) => h.env.sleep(ms - (await h.env.currentTimeMs()));
    await skipTo(monthEndInstant(month, 'Pacific/Kiritimati', 9) + 30_000);
    await eventually(() => (sentTo(east) === east.length ? true : undefined), 15_000);
    expect(sentTo(west)).toBe(0);
    await skipTo(monthEndInstant(month, 'America/Los_Angeles', 9) + 30_000);
    await eventually(() => (sentTo(west) === west.length ? true : undefined), 15_000);
    const [east1, west1] = (await Promise.all([eastRun.result(), westRun.result()])) as ReportBatchResult[];

    expect({ ...east1.outcomes, ...west1.outcomes }).toEqual(
      Object.fromEntries(
        [...east, ...west].map((u) => [u.id, expect.objectContaining({ outcome: 'sent', attempts: 1 })]),
      ),
    );
    for (const [users, zone] of [
      [east, 'Pacific/Kiritimati'],
      [west, 'America/Los_Angeles'],
    ] as const) {
      const instant = monthEndInstant(month, zone, 9);
      for (const u of users) {
        const sent = h.sendTimes.find((t) => t.to === u.email)!;
        expect(sent.atMs).toBeGreaterThanOrEqual(instant);
        expect(sent.atMs - instant).toBeLessThan(60_000);
      }
    }
  });
});
