import type { ScheduleHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import request from 'supertest';
import { formatMoney } from '../../src/services/money';
import {
  createIds,
  WORKFLOW_TYPES,
  type MonthlyReportCounts,
  type ReportBatchResult,
  type UserReportResult,
} from '../../src/temporal/contract';
import { applySchedules } from '../../src/temporal/schedules';
import { localMonth, monthBounds, monthEndInstant, occurrencesBetween, previousMonth } from '../../src/time';
import { createTestApp, type TestApp } from '../helpers/app';
import { startE2eHarness, type E2eHarness } from '../helpers/e2e-harness';
import type { FakeMailgun } from '../helpers/fake-mailgun';
import { createSubscription } from '../helpers/subscriptions';
import { uniquePrefix, uniqueTaskQueue } from '../helpers/temporal';
import { createUserWithTokens } from '../helpers/users';

/**
 * The monthly report on the Temporal dev server: the real schedule (backfilled), the worker running the real
 * activities on the app's database, the real mailgun.js client against the fake Mailgun, the totals checked
 * against GET /stats/summary.
 */
describe('monthly report, end to end on the dev server', () => {
  const prefix = uniquePrefix('e2e-report');
  const taskQueue = uniqueTaskQueue('e2e-report');
  const ids = createIds(prefix);
  // The month before today's (UTC): the slot that reports it is the 1st of this month at 00:00 UTC.
  const month = previousMonth(localMonth(Date.now(), 'UTC'));
  const slotMs = monthEndInstant(month, 'UTC');
  let env: TestWorkflowEnvironment;
  let mailgun: FakeMailgun;
  let t: TestApp;
  let harness: E2eHarness;
  let schedule: ScheduleHandle;

  beforeAll(async () => {
    harness = await startE2eHarness(prefix, taskQueue);
    ({ env, mailgun, t } = harness);
    await applySchedules(env.client, {
      ids,
      taskQueue,
      idPrefix: prefix,
      reminderCheckCron: '0 0 1 1 *',
      monthlyReportCron: '0 0 1 * *',
      exchangeRatesCron: '0 0 1 1 *',
    });
    schedule = env.client.schedule.getHandle(ids.schedule('monthlyReport'));
  });

  afterAll(async () => {
    // Reports started for other tests' users (a run covers everyone) must end before the database goes.
    if (env) {
      const query = `WorkflowId STARTS_WITH '${prefix}' AND ExecutionStatus = 'Running'`;
      for await (const open of env.client.workflow.list({ query })) {
        await env.client.workflow
          .getHandle(open.workflowId)
          .result()
          .catch(() => undefined);
      }
    }
    await harness?.close();
  });

  /** Report batches of `reported` the schedule's runs started, ended (found through visibility, which lags). */
  async function batchesOf(reported = month): Promise<{ workflowId: string; result: ReportBatchResult }[]> {
    const query = `WorkflowType = '${WORKFLOW_TYPES.reportBatch}' AND WorkflowId STARTS_WITH '${prefix}reports-${reported}-'`;
    const batches = [];
    for await (const { workflowId } of env.client.workflow.list({ query })) {
      const result = (await env.client.workflow.getHandle(workflowId).result()) as ReportBatchResult;
      batches.push({ workflowId, result });
    }
    return batches;
  }

  /** The user's outcome in the batch of `reported` that holds them, once it has ended. */
  const result = (userId: number, reported = month) =>
    eventually(async () => {
      const held = (await batchesOf(reported)).find((b) => b.result.outcomes[userId]);
      return held?.result.outcomes[userId] as UserReportResult | undefined;
    });

  /** A user in `timezone` with `currency`, and the auth headers to create their subscriptions. */
  async function owner(timezone: string, currency: string, overrides: { verified?: boolean } = {}) {
    const o = await createUserWithTokens(t.runtime, { timezone, ...overrides });
    await o.user.update({ currency });
    return o;
  }

  /** Backfills the schedule's slot at `slot` (ms) and returns the result of the run it started. */
  async function backfillAndAwaitRun(slot = slotMs): Promise<MonthlyReportCounts> {
    const before = (await schedule.describe()).info.recentActions.length;
    await schedule.backfill([
      { start: new Date(slot - 3_600_000), end: new Date(slot + 3_600_000), overlap: 'ALLOW_ALL' },
    ]);
    const action = await eventually(async () => {
      const { recentActions } = (await schedule.describe()).info;
      return recentActions.length > before ? recentActions.at(-1) : undefined;
    });
    expect(action.scheduledAt.getTime()).toBe(slot);
    const { workflowId, firstExecutionRunId } = action.action.workflow;
    const handle = env.client.workflow.getHandle(workflowId, undefined, { firstExecutionRunId });
    // What the workflow reads its month from: the slot, typed (SDK 1.24 and this server send the type).
    const { typedSearchAttributes } = await handle.describe();
    expect(typedSearchAttributes.get({ name: 'TemporalScheduledStartTime', type: 'DATETIME' })).toEqual(
      new Date(slot),
    );
    return handle.result();
  }

  it('a backfill of last month sends one report per user, with the totals of /stats/summary; a second sends nothing', async () => {
    const first = (d: number) => `${month}-${String(d).padStart(2, '0')}`;
    // Weekly, monthly and yearly plans in two currencies; the first charges fall in or before `month`.
    const ann = await owner('UTC', 'USD');
    await createSubscription(t.app, ann.auth, {
      name: 'Gym',
      price: '12.50',
      billing_cycle: 'weekly',
      next_payment_date: first(2),
      category: 'fitness',
    });
    await createSubscription(t.app, ann.auth, {
      name: 'Netflix',
      price: '15.99',
      billing_cycle: 'monthly',
      next_payment_date: first(20),
      category: 'video',
    });
    await createSubscription(t.app, ann.auth, {
      name: 'Insurance',
      price: '119.00',
      currency: 'EUR',
      billing_cycle: 'yearly',
      next_payment_date: first(15),
      category: 'insurance',
    });
    const ben = await owner('Europe/Berlin', 'EUR');
    await createSubscription(t.app, ben.auth, {
      name: 'Spotify',
      price: '9.99',
      billing_cycle: 'monthly',
      next_payment_date: first(28),
      category: 'music',
    });
    await createSubscription(t.app, ben.auth, {
      name: 'Domain',
      price: '20.00',
      currency: 'USD',
      billing_cycle: 'yearly',
      next_payment_date: first(5),
      category: null,
    });
    // No charges: a skipped row, no email. Unverified or opted out: no report at all.
    const cat = await owner('America/Los_Angeles', 'USD');
    const dan = await owner('UTC', 'USD', { verified: false });
    await createSubscription(t.app, dan.auth, {
      name: 'Gym',
      price: '10.00',
      billing_cycle: 'weekly',
      next_payment_date: first(1),
    });
    const eve = await owner('UTC', 'USD');
    await eve.user.update({ monthlyReport: false });
    await createSubscription(t.app, eve.auth, {
      name: 'Gym',
      price: '10.00',
      billing_cycle: 'weekly',
      next_payment_date: first(1),
    });

    // Three zones, three instants: one batch each.
    expect(await backfillAndAwaitRun()).toEqual({
      batchesStarted: 3,
      batchesAlreadyStarted: 0,
      usersStarted: 3,
      usersAlreadyStarted: 0,
    });
    expect(await result(ann.user.id)).toMatchObject({ outcome: 'sent' });
    expect(await result(ben.user.id)).toMatchObject({ outcome: 'sent' });
    expect(await result(cat.user.id)).toEqual({ outcome: 'skipped', reason: 'no_charges' });

    expect(mailgun.messages.map((m) => m.to).sort()).toEqual([ann.user.email, ben.user.email].sort());
    const { MonthlyReport } = t.runtime.db.models;
    const rows = await MonthlyReport.findAll({ where: { month }, order: [['userId', 'ASC']] });
    expect(rows.map((r) => [r.userId, r.status])).toEqual([
      [ann.user.id, 'sent'],
      [ben.user.id, 'sent'],
      [cat.user.id, 'skipped'],
    ]);

    for (const [o, row] of [ann, ben, cat].map((x, i) => [x, rows[i]] as const)) {
      const res = await request(t.app).get(`/stats/summary?month=${month}`).set(o.auth);
      expect(res.status).toBe(200);
      const totals = row.totals as {
        currency: string;
        byCurrency: Record<
          string,
          { totalMinor: number; byCategory: Record<string, number>; chargesCount: number }
        >;
      };
      const stated = Object.fromEntries(
        Object.entries(totals.byCurrency).map(([code, c]) => [
          code,
          {
            total_spent: formatMoney(c.totalMinor),
            charges_count: c.chargesCount,
            by_category: Object.fromEntries(
              Object.entries(c.byCategory).map(([k, v]) => [k, formatMoney(v)]),
            ),
          },
        ]),
      );
      expect(totals.currency).toBe(res.body.currency);
      expect(stated).toEqual(
        Object.fromEntries(
          Object.entries(res.body.by_currency as Record<string, Record<string, unknown>>).map(([code, c]) => [
            code,
            { total_spent: c.total_spent, charges_count: c.charges_count, by_category: c.by_category },
          ]),
        ),
      );
    }

    const mailTo = (email: string) => mailgun.messages.find((m) => m.to === email)!;
    const annMail = mailTo(ann.user.email);
    const annRow = rows[0].totals as {
      byCurrency: Record<string, { totalMinor: number; chargesCount: number }>;
    };
    expect(annRow.byCurrency.EUR).toMatchObject({ totalMinor: 11_900, chargesCount: 1 });
    // The weekly plan counts every week that falls in the month (4 or 5), the monthly one once.
    const { first: from, last: to } = monthBounds(month);
    const weeks = occurrencesBetween({ anchor: first(2), cycle: 'weekly', interval: 1 }, from, to).length;
    expect(annRow.byCurrency.USD).toMatchObject({
      totalMinor: weeks * 1_250 + 1_599,
      chargesCount: weeks + 1,
    });
    expect(annMail.text).toContain(`$${formatMoney(weeks * 1_250 + 1_599)} (${weeks + 1} charges)`);
    expect(annMail.text).toContain('€119.00 (1 charge)');
    expect(annMail.text).toContain('Netflix (video)  $15.99');
    expect(annMail.headers['List-Unsubscribe']).toMatch(/^<https:\/\/subtracker\.test\/unsubscribe\?token=/);
    expect(annMail.variables.idempotency_key).toBe(`report:${ann.user.id}:${month}`);
    const benMail = mailTo(ben.user.email);
    expect(benMail.text).toContain('€9.99 (1 charge)');
    expect(benMail.text).toContain('$20.00 (1 charge)');
    expect(benMail.text).toContain('Europe/Berlin');

    const batchIds = (await batchesOf()).map((b) => b.workflowId).sort();
    expect(batchIds).toHaveLength(3);
    expect(batchIds.every((id) => /-1x[0-9a-f]{8}$/.test(id))).toBe(true);

    // The same slot again: every batch id exists, nothing is sent twice.
    expect(await backfillAndAwaitRun()).toEqual({
      batchesStarted: 0,
      batchesAlreadyStarted: 3,
      usersStarted: 0,
      usersAlreadyStarted: 3,
    });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(mailgun.messages).toHaveLength(2);
    expect(await MonthlyReport.count({ where: { month } })).toBe(3);

    // The report's unsubscribe link turns reports off (and only reports) with RFC 8058's one-click POST.
    expect(benMail.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    const link = /<(https:\/\/subtracker\.test\/unsubscribe\?token=[^>]+)>/.exec(
      benMail.headers['List-Unsubscribe'],
    )![1];
    const unsubscribed = await request(t.app)
      .post(new URL(link).pathname + new URL(link).search)
      .type('form')
      .send('List-Unsubscribe=One-Click');
    expect(unsubscribed.body).toMatchObject({ unsubscribed: 'reports' });
    await ben.user.reload();
    expect([ben.user.monthlyReport, ben.user.remindersEnabled]).toEqual([false, true]);
  });

  it('takes the month from the scheduled time, not from today: an older slot reports its own month', async () => {
    const older = previousMonth(month);
    const fay = await owner('Asia/Tokyo', 'USD');
    await createSubscription(t.app, fay.auth, {
      name: 'Cloud',
      price: '3.00',
      billing_cycle: 'monthly',
      next_payment_date: `${older}-10`,
      category: 'storage',
    });

    const counts = await backfillAndAwaitRun(monthEndInstant(older, 'UTC'));

    expect(counts.batchesStarted).toBeGreaterThanOrEqual(1);
    expect(counts.usersStarted).toBeGreaterThanOrEqual(1);
    expect(await result(fay.user.id, older)).toMatchObject({ outcome: 'sent' });
    const mail = mailgun.messages.find((m) => m.to === fay.user.email)!;
    expect(mail.variables.idempotency_key).toBe(`report:${fay.user.id}:${older}`);
    expect(mail.text).toContain('$3.00 (1 charge)');
  });

  it("POST /stats/send-test runs the caller's real report now, through the same workflow, without a row", async () => {
    const gus = await owner('UTC', 'USD');
    await createSubscription(t.app, gus.auth, {
      name: 'Music',
      price: '7.00',
      billing_cycle: 'monthly',
      next_payment_date: `${month}-03`,
      category: 'music',
    });

    const res = await request(t.app).post('/stats/send-test').set(gus.auth).send({ month });

    expect(res.status).toBe(202);
    expect(res.body).toEqual({ message: expect.stringContaining(month), workflow_id: expect.any(String) });
    const handle = env.client.workflow.getHandle(res.body.workflow_id);
    expect((await handle.describe()).type).toBe('userReportWorkflow');
    expect(await handle.result()).toMatchObject({ outcome: 'sent' });
    const mail = mailgun.messages.find((m) => m.to === gus.user.email)!;
    expect(mail.subject).toMatch(/^\[Test\] /);
    expect(mail.text).toContain('$7.00 (1 charge)');
    expect(await t.runtime.db.models.MonthlyReport.count({ where: { userId: gus.user.id } })).toBe(0);

    // Without a body the month is the last one that has ended in the caller's zone; 5 per hour in all.
    for (let i = 0; i < 4; i += 1) {
      const again = await request(t.app).post('/stats/send-test').set(gus.auth);
      expect(again.status).toBe(202);
      expect(again.body.message).toContain(month);
      expect(await env.client.workflow.getHandle(again.body.workflow_id).result()).toMatchObject({
        outcome: 'sent',
      });
    }
    const limited = await request(t.app).post('/stats/send-test').set(gus.auth);
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toMatch(/^\d+$/);
  });

  it('POST /stats/send-test refuses an unverified address, a malformed month and anonymous callers', async () => {
    const hal = await owner('UTC', 'USD', { verified: false });
    const unverified = await request(t.app).post('/stats/send-test').set(hal.auth).send({});
    expect(unverified.status).toBe(409);
    expect(unverified.body.error).toBe('email_not_verified');
    const ivy = await owner('UTC', 'USD');
    const malformed = await request(t.app).post('/stats/send-test').set(ivy.auth).send({ month: '2026-13' });
    expect(malformed.status).toBe(422);
    expect((await request(t.app).post('/stats/send-test').send({})).status).toBe(401);
  });

  it('POST /stats/send-test is not mounted when developer endpoints are off', async () => {
    const off = await createTestApp({ env: { DEV_ENDPOINTS: 'false' } });
    try {
      const o = await createUserWithTokens(off.runtime);
      expect((await request(off.app).post('/stats/send-test').set(o.auth).send({})).status).toBe(404);
    } finally {
      await off.close();
    }
  });
});

/** Polls `probe` until it returns a value (20 s at most). */
async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
