import { Context } from '@temporalio/activity';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createReminderActivities } from '../../activities/reminder-activities';
import {
  createIds,
  REMINDER_REPLAN_SIGNAL,
  reminderBatchDigest,
  reminderKeyOf,
  type BatchReminder,
  type ReminderBatchInput,
  type ReminderBatchResult,
  type ReminderResult,
} from '../../src/temporal/contract';
import { addDays, localDate, reminderInstant } from '../../src/time';
import type { FakeMailgun } from '../helpers/fake-mailgun';
import {
  recordAttemptTimes,
  startMailgunWorkflowHarness,
  type MailgunWorkflowHarness,
} from '../helpers/mailgun-workflow-harness';
import {
  createMemoryReminderStore,
  idleAdvancer,
  reminderLinks,
  reminderOwner,
  reminderSubscription,
  testSendSlots,
  withOutage,
  type MemoryOwner,
} from '../helpers/reminder-fakes';
import { uniquePrefix, uniqueTaskQueue } from '../helpers/temporal';

/** Server time at which the running activity attempt was scheduled: a retry after an outage sees a later one. */
const attemptScheduledAt = async () => Context.current().info.currentAttemptScheduledTimestampMs;

describe('reminderBatchWorkflow (time skipping, real Mailgun client against the fake Mailgun)', () => {
  const ids = createIds(uniquePrefix('reminder'));
  const taskQueue = uniqueTaskQueue();
  const memory = createMemoryReminderStore();
  /** The database is down until this server time: every store call throws a connection error. */
  const outage = { untilMs: 0 };
  /** Server time of each send attempt (workflow time, so skipped time counts). */
  const attemptTimes: number[] = [];
  let fake: FakeMailgun;
  let env: TestWorkflowEnvironment;
  let harness: MailgunWorkflowHarness;
  let nextId = 1;

  beforeAll(async () => {
    harness = await startMailgunWorkflowHarness({
      taskQueue,
      observe: recordAttemptTimes(attemptTimes),
      activities: (mailer) =>
        createReminderActivities({
          reminders: withOutage(memory.store, outage, attemptScheduledAt),
          advancer: idleAdvancer,
          mailer,
          links: reminderLinks,
          sendSlots: testSendSlots,
        }),
    });
    ({ fake, env } = harness);
  });
  beforeEach(() => {
    fake.reset();
    attemptTimes.length = 0;
    outage.untilMs = 0;
  });
  afterAll(async () => {
    await harness?.close();
  });

  /** An owner and a subscription due `daysAhead` days after the server's today, reminding `offset` days before. */
  async function arrange(daysAhead = 10, offset = 1, owner: Partial<MemoryOwner> = {}) {
    const now = await env.currentTimeMs();
    const id = nextId++;
    const user = reminderOwner(id, { reminderOffsets: [offset], ...owner });
    const dueDate = addDays(localDate(now, user.timezone), daysAhead);
    memory.owners.set(id, user);
    memory.subscriptions.set(id, reminderSubscription(id, id, dueDate, { name: `Plan <${id}> & co` }));
    const input: BatchReminder = {
      subscriptionId: id,
      dueDate,
      offsetDays: offset,
      instantMs: reminderInstant(dueDate, offset, user.reminderHour, user.timezone),
    };
    return { input, user, key: `rem:${id}:${dueDate}:${offset}` };
  }

  /** A batch of these reminders, named as the check names it. */
  function startBatch(reminders: BatchReminder[], extra: Partial<ReminderBatchInput> = {}) {
    return env.client.workflow.start('reminderBatchWorkflow', {
      taskQueue,
      workflowId: ids.reminderBatch(reminders[0].instantMs, reminderBatchDigest(reminders)),
      args: [{ reminders, ...extra }],
    });
  }

  /** A batch of one; its `result()` is that reminder's outcome. */
  async function start(input: BatchReminder) {
    const handle = await startBatch([input]);
    const batchResult = handle.result.bind(handle);
    return Object.assign(handle, {
      result: async (): Promise<ReminderResult> =>
        ((await batchResult()) as ReminderBatchResult).outcomes[reminderKeyOf(input)],
    });
  }

  /** Resolves once the workflow has started its (first) timer: it is asleep. */
  async function asleep(handle: Awaited<ReturnType<typeof startBatch>>): Promise<void> {
    for (let i = 0; i < 100; i++) {
      const history = await handle.fetchHistory();
      if (history.events?.some((e) => e.timerStartedEventAttributes)) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('the reminder never went to sleep');
  }

  it('sleeps until its instant, sends one escaped email with the links and headers, and logs it once', async () => {
    const { input, key, user } = await arrange();
    const result: ReminderResult = await (await start(input)).result();

    expect(result).toEqual({
      outcome: 'sent',
      providerMessageId: fake.messages[0].id,
      attempts: 1,
      late: false,
    });
    expect(attemptTimes[0]).toBeGreaterThanOrEqual(input.instantMs);
    expect(attemptTimes[0] - input.instantMs).toBeLessThan(5_000);
    const [message] = fake.messages;
    expect(message.to).toBe(user.email);
    expect(message.variables).toEqual({ idempotency_key: key });
    expect(message.subject).toContain('€15.99');
    expect(message.text).toContain('due tomorrow');
    expect(message.text).toContain(reminderLinks.subscription(input.subscriptionId));
    expect(message.html).toContain(`Plan &lt;${input.subscriptionId}&gt; &amp; co`);
    expect(message.headers['List-Unsubscribe']).toBe(`<${reminderLinks.unsubscribe(user.id)}>`);
    expect(memory.logs.get(key)).toMatchObject({
      status: 'sent',
      attempts: 1,
      late: false,
      workflowId: ids.reminderBatch(input.instantMs, reminderBatchDigest([input])),
      workflowRunId: expect.any(String),
    });
  });

  it('retries 503 three times and sends exactly once on the fourth attempt', async () => {
    fake.failNext(3, { status: 503 });
    const { input, key } = await arrange();
    const result = await (await start(input)).result();

    expect(result).toMatchObject({ outcome: 'sent', attempts: 4 });
    expect(fake.requests).toBe(4);
    expect(fake.messages).toHaveLength(1);
    expect(memory.logs.get(key)).toMatchObject({ status: 'sent', attempts: 4 });
  });

  it('logs failed after a 400, with one attempt and the error, and never retries', async () => {
    fake.failNext(1, { status: 400, body: { message: "'to' parameter is not a valid address" } });
    const { input, key } = await arrange();
    const result = await (await start(input)).result();

    expect(result).toEqual({ outcome: 'failed', attempts: 1, error: expect.stringContaining('400') });
    expect(fake.requests).toBe(1);
    expect(memory.logs.get(key)).toMatchObject({
      status: 'failed',
      attempts: 1,
      error: expect.stringContaining('400'),
    });
  });

  it('waits out a 429 Retry-After of 120 s before the next attempt', async () => {
    fake.failNext(1, { status: 429, retryAfter: 120 });
    const { input } = await arrange();
    const result = await (await start(input)).result();

    expect(result).toMatchObject({ outcome: 'sent', attempts: 2 });
    expect(attemptTimes).toHaveLength(2);
    expect(attemptTimes[1] - attemptTimes[0]).toBeGreaterThanOrEqual(120_000);
  });

  it('logs failed with the attempts made when every retry is exhausted', async () => {
    fake.failNext(8, { status: 503 });
    const { input, key } = await arrange();
    const result = await (await start(input)).result();

    expect(result).toEqual({ outcome: 'failed', attempts: 8, error: expect.stringContaining('503') });
    expect(memory.logs.get(key)).toMatchObject({ status: 'failed', attempts: 8 });
  });

  it('stops retrying when the payment falls due, and logs failed with the attempts made', async () => {
    // Offset 0 at 23:00: the payment is due an hour later; 429s asking for 20 min each outlast that hour.
    fake.failNext(100, { status: 429, retryAfter: 1200 });
    const { input, key } = await arrange(3, 0, { reminderHour: 23 });
    const result = await (await start(input)).result();

    expect(result).toEqual({ outcome: 'failed', attempts: 3, error: expect.stringContaining('429') });
    expect(attemptTimes).toHaveLength(3);
    expect(attemptTimes.at(-1)! - input.instantMs).toBeLessThan(3_600_000);
    expect(memory.logs.get(key)).toMatchObject({ status: 'failed', attempts: 3 });
    fake.reset();
  });

  it('ends skipped/deleted with no row and sends nothing when the subscription is deleted while it sleeps', async () => {
    const { input, key } = await arrange();
    const handle = await start(input);
    await asleep(handle);
    memory.subscriptions.delete(input.subscriptionId);

    expect(await handle.result()).toEqual({ outcome: 'skipped', reason: 'deleted' });
    expect(fake.requests).toBe(0);
    expect(memory.logs.has(key)).toBe(false);
  });

  it('fires at the new hour when the owner moves their reminder hour later while it sleeps', async () => {
    const { input, user, key } = await arrange(10, 1, { reminderHour: 9 });
    const handle = await start(input);
    await asleep(handle);
    memory.owners.set(user.id, { ...user, reminderHour: 11 });

    expect(await handle.result()).toMatchObject({ outcome: 'sent', late: false });
    expect(attemptTimes[0] - input.instantMs).toBeGreaterThanOrEqual(2 * 3_600_000);
    expect(attemptTimes[0] - input.instantMs).toBeLessThan(2 * 3_600_000 + 5_000);
    expect(memory.logs.get(key)).toMatchObject({ status: 'sent' });
  });

  it('fires at the new, earlier hour when a replan signal follows the owner moving their hour earlier', async () => {
    const { input, user, key } = await arrange(10, 1, { reminderHour: 11 });
    const handle = await start(input);
    await asleep(handle);
    memory.owners.set(user.id, { ...user, reminderHour: 9 });
    await handle.signal(REMINDER_REPLAN_SIGNAL);

    expect(await handle.result()).toMatchObject({ outcome: 'sent', late: false });
    expect(input.instantMs - attemptTimes[0]).toBeLessThanOrEqual(2 * 3_600_000);
    expect(input.instantMs - attemptTimes[0]).toBeGreaterThan(2 * 3_600_000 - 5_000);
    expect(memory.logs.get(key)).toMatchObject({ status: 'sent', late: false });
  });

  it('sleeps on to its instant when a replan signal finds nothing changed', async () => {
    const { input, key } = await arrange();
    const handle = await start(input);
    await asleep(handle);
    await handle.signal(REMINDER_REPLAN_SIGNAL);

    expect(await handle.result()).toMatchObject({ outcome: 'sent', late: false });
    expect(attemptTimes).toHaveLength(1);
    expect(attemptTimes[0]).toBeGreaterThanOrEqual(input.instantMs);
    expect(attemptTimes[0] - input.instantMs).toBeLessThan(5_000);
    expect(memory.logs.get(key)).toMatchObject({ status: 'sent' });
  });

  it('logs skipped with the reason when the subscription was paused while it slept', async () => {
    const { input, key } = await arrange();
    const handle = await start(input);
    await asleep(handle);
    const sub = memory.subscriptions.get(input.subscriptionId)!;
    memory.subscriptions.set(sub.id, { ...sub, status: 'paused' });

    expect(await handle.result()).toEqual({ outcome: 'skipped', reason: 'paused' });
    expect(fake.requests).toBe(0);
    expect(memory.logs.get(key)).toMatchObject({ status: 'skipped', reason: 'paused' });
  });

  it('delivers a batch of 40 at its instant: one request and one log row each, retried 503s included', async () => {
    fake.failNext(5, { status: 503 });
    const first = await arrange();
    const reminders = [first.input];
    for (let i = 1; i < 40; i++) {
      const { input } = await arrange();
      reminders.push({ ...input, dueDate: first.input.dueDate, instantMs: first.input.instantMs });
      const sub = memory.subscriptions.get(input.subscriptionId)!;
      memory.subscriptions.set(sub.id, {
        ...sub,
        nextPaymentDate: first.input.dueDate,
        anchorDate: first.input.dueDate,
      });
    }
    const handle = await startBatch(reminders);
    const { outcomes } = (await handle.result()) as ReminderBatchResult;

    const keys = reminders.map(reminderKeyOf);
    expect(Object.keys(outcomes).sort()).toEqual([...keys].sort());
    expect(Object.values(outcomes).every((o) => o.outcome === 'sent' && !o.late)).toBe(true);
    expect(fake.messages).toHaveLength(40);
    expect(new Set(fake.messages.map((m) => m.variables.idempotency_key)).size).toBe(40);
    expect(fake.requests).toBe(45);
    for (const key of keys) {
      expect(memory.logs.get(key)).toMatchObject({ status: 'sent', workflowId: handle.workflowId });
    }
    expect(Math.min(...attemptTimes)).toBeGreaterThanOrEqual(first.input.instantMs);
  });

  it('leaves a reminder another batch claimed to that batch: no email, no row from this one', async () => {
    const { input, key } = await arrange();
    await memory.store.claim([input], 'another-batch');
    const result = await (await start(input)).result();

    expect(result).toEqual({ outcome: 'skipped', reason: 'claimed_elsewhere' });
    expect(fake.requests).toBe(0);
    expect(memory.logs.has(key)).toBe(false);
  });

  it('survives a 5-minute database outage across its instant and sends once, late, when it returns', async () => {
    const { input, key } = await arrange();
    outage.untilMs = input.instantMs + 5 * 60_000;
    const result = await (await start(input)).result();

    expect(result).toMatchObject({ outcome: 'sent', late: true });
    expect(attemptTimes).toHaveLength(1);
    expect(attemptTimes[0]).toBeGreaterThanOrEqual(outage.untilMs);
    expect(memory.logs.get(key)).toMatchObject({ status: 'sent', late: true });
  });

  it('continues as new while retrying a long time, keeping what is left and what it did', async () => {
    fake.failNext(6, { status: 503 });
    const a = await arrange();
    const b = await arrange();
    const reminders = [a.input, { ...b.input, instantMs: a.input.instantMs, dueDate: a.input.dueDate }];
    const sub = memory.subscriptions.get(b.input.subscriptionId)!;
    memory.subscriptions.set(sub.id, {
      ...sub,
      nextPaymentDate: a.input.dueDate,
      anchorDate: a.input.dueDate,
    });
    const handle = await startBatch(reminders, { historyLimit: 20 });
    const { outcomes } = (await handle.result()) as ReminderBatchResult;

    expect(outcomes[a.key]).toMatchObject({ outcome: 'sent', attempts: 4 });
    expect(outcomes[reminderKeyOf(reminders[1])]).toMatchObject({ outcome: 'sent', attempts: 4 });
    const last = await env.client.workflow.getHandle(handle.workflowId).describe();
    expect(last.runId).not.toBe(handle.firstExecutionRunId);
    expect(fake.messages).toHaveLength(2);
  });

  it('a test send goes out at once, says so, and leaves no log row', async () => {
    const { input } = await arrange(20, 1);
    const result = await env.client.workflow.execute('reminderTestWorkflow', {
      taskQueue,
      workflowId: ids.reminderTest(input.subscriptionId, 'n1'),
      args: [{ ...input, test: true }],
    });

    expect(result).toMatchObject({ outcome: 'sent' });
    expect(fake.messages[0].subject).toMatch(/^\[Test\]/);
    expect(fake.messages[0].variables.idempotency_key).toBe(
      `rem-test:${ids.reminderTest(input.subscriptionId, 'n1')}`,
    );
    expect([...memory.logs.keys()].some((k) => k.startsWith(`rem:${input.subscriptionId}:`))).toBe(false);
  });
});
