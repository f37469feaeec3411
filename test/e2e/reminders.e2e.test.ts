import type { ScheduleHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { QueryTypes } from 'sequelize';
import request from 'supertest';
import {
  createIds,
  reminderBatchDigest,
  type BatchReminder,
  type ReminderBatchResult,
} from '../../src/temporal/contract';
import { createReminderWaker } from '../../src/temporal/reminder-waker';
import { applySchedules } from '../../src/temporal/schedules';
import { candidateWindowEnd } from '../../src/services/reminder-plan';
import { addDays, localDate, reminderInstant } from '../../src/time';
import type { TestApp } from '../helpers/app';
import { startE2eHarness, type E2eHarness } from '../helpers/e2e-harness';
import type { FakeMailgun, FakeMailgunMessage } from '../helpers/fake-mailgun';
import { eventually, triggerAndAwaitRun as triggerRun } from '../helpers/schedule-runs';
import { uniquePrefix, uniqueTaskQueue } from '../helpers/temporal';

/**
 * Reminders end to end on the dev server: users and subscriptions through the API, the worker with the real
 * activities on the test database, the real mailgun.js client against the fake Mailgun, the reminder-check
 * schedule triggered through the client. The check runs in real time, so the due reminder is one whose instant
 * passed (this hour, for a payment due tomorrow) on a subscription created earlier (backdated): a catch-up.
 */
describe('reminders, end to end on the dev server', () => {
  let env: TestWorkflowEnvironment;
  let mailgun: FakeMailgun;
  let t: TestApp;
  let harness: E2eHarness;
  let schedule: ScheduleHandle;
  const prefix = uniquePrefix('e2e-rem');
  const taskQueue = uniqueTaskQueue('e2e-rem');
  const ids = createIds(prefix);
  const reminders = () => mailgun.messages.filter((m) => m.tags.includes('reminder'));
  const keyOf = (r: BatchReminder) => `rem:${r.subscriptionId}:${r.dueDate}:${r.offsetDays}`;

  beforeAll(async () => {
    harness = await startE2eHarness(prefix, taskQueue);
    ({ env, mailgun, t } = harness);
    const rarely = '0 0 1 1 *';
    await applySchedules(env.client, {
      ids,
      taskQueue,
      idPrefix: prefix,
      reminderCheckCron: rarely,
      monthlyReportCron: rarely,
      exchangeRatesCron: rarely,
    });
    schedule = env.client.schedule.getHandle(ids.schedule('reminderCheck'));
  }, 60_000);

  afterAll(async () => {
    await harness?.close();
  });

  /** Registers through the API, confirms the address with the link of the welcome email, logs in. */
  async function signUp(name: string, verify = true) {
    const email = `${name}-${process.pid}@example.com`;
    const password = 'correct horse battery';
    expect((await request(t.app).post('/register').send({ username: name, email, password })).status).toBe(
      201,
    );
    if (verify) {
      const welcome = await eventually(async () => mailgun.messages.find((m) => m.to === email));
      const token = new URL(
        /https:\/\/subtracker\.test\/verify-email\?\S+/.exec(welcome.text)![0],
      ).searchParams.get('token');
      expect((await request(t.app).get('/verify-email').query({ token })).status).toBe(200);
    }
    const login = await request(t.app).post('/login').send({ email, password });
    expect(login.status).toBe(200);
    return { email, auth: { Authorization: `Bearer ${login.body.access_token as string}` } };
  }

  async function addSubscription(auth: Record<string, string>, body: object): Promise<number> {
    const res = await request(t.app)
      .post('/subscriptions')
      .set(auth)
      .send({ price: '12.50', currency: 'EUR', billing_cycle: 'monthly', ...body });
    expect(res.status).toBe(201);
    // As if it was created a month ago: reminders before a subscription existed are never sent.
    await t.runtime.db.sequelize.query('UPDATE subscriptions SET created_at = :at WHERE id = :id', {
      replacements: { at: new Date(Date.now() - 30 * 86_400_000), id: res.body.id },
    });
    return res.body.id as number;
  }

  const triggerAndAwaitRun = () => triggerRun<Record<string, number>>(env.client, schedule);

  /**
   * The batch workflow that holds a started reminder, as the check recorded it (reminder_starts.batch_id): the
   * batch of that one reminder, named by its instant and contents.
   */
  async function batchOf(reminder: BatchReminder): Promise<string> {
    const rows = await t.runtime.db.sequelize.query<{ batchId: string | null }>(
      'SELECT batch_id AS batchId FROM reminder_starts WHERE idempotency_key = :key',
      { type: QueryTypes.SELECT, replacements: { key: keyOf(reminder) } },
    );
    const batchId = ids.reminderBatch(reminder.instantMs, reminderBatchDigest([reminder]));
    expect(rows).toEqual([{ batchId }]);
    return batchId;
  }

  /** A reminder's outcome, from its batch's result. */
  async function outcomeOf(batchId: string, key: string) {
    const result = (await env.client.workflow.getHandle(batchId).result()) as ReminderBatchResult;
    return result.outcomes[key];
  }

  it('sends exactly the due reminders, logs them through the API, and a second trigger sends nothing again', async () => {
    const ann = await signUp('ann');
    const bob = await signUp('bob', false);
    // Reminders at this hour's :00 (UTC): a payment due tomorrow is reminded (offset 1) at an instant that passed.
    const now = Date.now();
    const hour = new Date(now).getUTCHours();
    expect((await request(t.app).patch('/users/me').set(ann.auth).send({ reminder_hour: hour })).status).toBe(
      200,
    );
    const tomorrow = addDays(localDate(now, 'UTC'), 1);
    const due = await addSubscription(ann.auth, { name: 'Netflix', next_payment_date: tomorrow });
    const muted = await addSubscription(ann.auth, {
      name: 'Gym',
      next_payment_date: tomorrow,
      reminder_offsets: [],
    });
    await addSubscription(ann.auth, { name: 'Paused', next_payment_date: tomorrow, status: 'paused' });
    await addSubscription(bob.auth, { name: 'Unverified', next_payment_date: tomorrow });

    const counts = await triggerAndAwaitRun();
    expect(counts).toMatchObject({
      reminderBatchesStarted: 1,
      remindersStarted: 1,
      remindersLate: 1,
      remindersSkipped: 1,
    });
    const [message] = await waitForReminders(1);
    const reminder = {
      subscriptionId: due,
      dueDate: tomorrow,
      offsetDays: 1,
      instantMs: reminderInstant(tomorrow, 1, hour, 'UTC'),
    };
    const key = keyOf(reminder);
    expect(message.to).toBe(ann.email);
    expect(message.variables.idempotency_key).toBe(key);
    expect(message.subject).toBe('Netflix: €12.50 due tomorrow');
    expect(message.text).toContain(`https://subtracker.test/subscriptions/${due}`);
    expect(message.headers['List-Unsubscribe']).toMatch(/^<https:\/\/subtracker\.test\/unsubscribe\?token=/);
    const batchId = await batchOf(reminder);
    expect(await outcomeOf(batchId, key)).toMatchObject({ outcome: 'sent', attempts: 1, late: true });

    const logs = await request(t.app).get(`/subscriptions/${due}/reminder_logs`).set(ann.auth);
    expect(logs.status).toBe(200);
    const byOffset = Object.fromEntries(
      (logs.body as { offset_days: number }[]).map((l) => [l.offset_days, l]),
    );
    expect(byOffset[1]).toMatchObject({
      status: 'sent',
      success: true,
      late: true,
      attempts: 1,
      due_date: tomorrow,
      workflow_id: batchId,
      workflow_run_id: expect.any(String),
    });
    expect(byOffset[7]).toMatchObject({ status: 'skipped', reason: 'superseded', success: false });
    const mutedLogs = await request(t.app).get(`/subscriptions/${muted}/reminder_logs`).set(ann.auth);
    expect(mutedLogs.body).toEqual([]);

    // Triggered again, then two checks at once: nothing is started or sent again.
    expect(await triggerAndAwaitRun()).toMatchObject({
      reminderBatchesStarted: 0,
      remindersStarted: 0,
      remindersSkipped: 0,
    });
    const overlapping = await Promise.all(
      ['a', 'b'].map((stamp) =>
        env.client.workflow.execute('reminderCheckWorkflow', {
          taskQueue,
          workflowId: ids.reminderCheckRun(`overlap-${stamp}`),
          args: [{ idPrefix: prefix }],
        }),
      ),
    );
    for (const counts of overlapping)
      expect(counts).toMatchObject({ reminderBatchesStarted: 0, remindersStarted: 0, remindersSkipped: 0 });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(reminders()).toHaveLength(1);
    const after = await request(t.app).get(`/subscriptions/${due}/reminder_logs`).set(ann.auth);
    expect(after.body).toHaveLength(2);
  }, 90_000);

  it('send-test goes through the reminder-test workflow to the caller only, 5 per hour', async () => {
    const cid = await signUp('cid');
    const dan = await signUp('dan');
    const sub = await addSubscription(cid.auth, {
      name: 'Spotify',
      next_payment_date: addDays(localDate(Date.now(), 'UTC'), 9),
    });
    const before = mailgun.messages.length;

    const res = await request(t.app)
      .post('/reminders/send-test')
      .set(cid.auth)
      .send({ subscription_id: sub });
    expect(res.status).toBe(202);
    expect(res.body.workflow_id).toMatch(new RegExp(`^${prefix}reminder-test-${sub}-`));
    expect(await env.client.workflow.getHandle(res.body.workflow_id).result()).toMatchObject({
      outcome: 'sent',
    });
    const sent = mailgun.messages.slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ to: cid.email, subject: '[Test] Spotify: €12.50 due in 9 days' });
    expect((await request(t.app).get(`/subscriptions/${sub}/reminder_logs`).set(cid.auth)).body).toEqual([]);

    const notMine = await request(t.app)
      .post('/reminders/send-test')
      .set(dan.auth)
      .send({ subscription_id: sub });
    expect(notMine.status).toBe(404);
    for (let i = 0; i < 4; i++) {
      expect(
        (await request(t.app).post('/reminders/send-test').set(cid.auth).send({ subscription_id: sub }))
          .status,
      ).toBe(202);
    }
    const limited = await request(t.app)
      .post('/reminders/send-test')
      .set(cid.auth)
      .send({ subscription_id: sub });
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBeDefined();
  }, 60_000);

  it('an owner who moves their hour earlier while a reminder sleeps gets it at once, not at the old hour', async () => {
    const eve = await signUp('eve');
    // A reminder the check starts now that fires 20+ minutes from now (so it sleeps), at a local hour of 2 or
    // more (so two hours earlier is the same day, already passed, and the payment still not due).
    const now = Date.now();
    const windowEnd = candidateWindowEnd(now);
    // Zones at whole, half and quarter hours: some instant always falls in the window, whatever the time.
    const plan = ['UTC', 'Asia/Kolkata', 'America/St_Johns', 'Asia/Kathmandu']
      .flatMap((zone) =>
        [1, 2].flatMap((ahead) =>
          Array.from({ length: 22 }, (_, i) => {
            const dueDate = addDays(localDate(now, zone), ahead);
            const hour = i + 2;
            return { zone, dueDate, hour, instantMs: reminderInstant(dueDate, 1, hour, zone) };
          }),
        ),
      )
      .find((p) => p.instantMs >= now + 20 * 60_000 && p.instantMs < windowEnd)!;
    const settings = { timezone: plan.zone, reminder_hour: plan.hour, reminder_offsets: [1] };
    expect((await request(t.app).patch('/users/me').set(eve.auth).send(settings)).status).toBe(200);
    const sub = await addSubscription(eve.auth, { name: 'Early bird', next_payment_date: plan.dueDate });

    expect(await triggerAndAwaitRun()).toMatchObject({
      reminderBatchesStarted: 1,
      remindersStarted: 1,
      remindersLate: 0,
    });
    const reminder = { subscriptionId: sub, dueDate: plan.dueDate, offsetDays: 1, instantMs: plan.instantMs };
    const key = keyOf(reminder);
    const batchId = await batchOf(reminder);
    const batch = env.client.workflow.getHandle(batchId);
    await eventually(async () =>
      (await batch.fetchHistory()).events?.some((e) => e.timerStartedEventAttributes),
    );
    const toEve = () => reminders().filter((m) => m.to === eve.email);
    expect(toEve()).toHaveLength(0);

    const moved = await request(t.app)
      .patch('/users/me')
      .set(eve.auth)
      .send({ reminder_hour: plan.hour - 2 });
    expect(moved.status).toBe(200);
    expect(await outcomeOf(batchId, key)).toMatchObject({ outcome: 'sent', attempts: 1, late: true });
    expect(Date.now()).toBeLessThan(plan.instantMs);
    expect(toEve()).toHaveLength(1);
    expect(toEve()[0].variables.idempotency_key).toBe(key);
    const logs = await request(t.app).get(`/subscriptions/${sub}/reminder_logs`).set(eve.auth);
    expect(logs.body).toEqual([expect.objectContaining({ status: 'sent', late: true, offset_days: 1 })]);
    // Waking it again finds it closed: counted as ended, not as unreached.
    const wake = createReminderWaker(env.client);
    expect(await wake([{ subscriptionId: sub, dueDate: plan.dueDate, offsetDays: 1, batchId }])).toEqual({
      woken: 0,
      ended: 1,
      unreached: 0,
      batches: 0,
      notReached: [],
    });
  }, 60_000);

  async function waitForReminders(n: number): Promise<FakeMailgunMessage[]> {
    return eventually(async () => (reminders().length >= n ? reminders() : undefined), 30_000);
  }

  it('every worker of the harness (TEST_TEMPORAL_WORKERS of them) polls the task queue', async () => {
    const polling = await eventually(async () => {
      const { pollers } = await env.client.workflowService.describeTaskQueue({
        namespace: env.namespace ?? 'default',
        taskQueue: { name: taskQueue },
        taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
      });
      const identities = new Set((pollers ?? []).map((p) => p.identity));
      return harness.workerIdentities.every((id) => identities.has(id)) ? identities : undefined;
    });
    expect([...polling].sort()).toEqual([...harness.workerIdentities].sort());
  });
});
