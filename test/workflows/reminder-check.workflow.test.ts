import { Client, type WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { createHousekeepingActivities } from '../../activities/housekeeping-activities';
import { createReminderActivities } from '../../activities/reminder-activities';
import { createWelcomeActivities } from '../../activities/welcome-activities';
import {
  createIds,
  PRUNE_PAGE_SIZE,
  REMINDER_BATCH_PAGE_SIZE,
  type ReminderBatchResult,
  type ReminderCheckCounts,
} from '../../src/temporal/contract';
import { addDays, localDate, localMonth, previousMonth } from '../../src/time';
import {
  createMemoryHousekeeping,
  createMemoryReminderStore,
  idleAdvancer,
  reminderLinks,
  reminderOwner,
  reminderSubscription,
  testSendSlots,
} from '../helpers/reminder-fakes';
import { testDataConverter } from '../helpers/payload-keys';
import { createMemoryWelcomeStore, createRecordingMailer } from '../helpers/temporal-fakes';
import { startTimeSkipping, startWorker, uniquePrefix, uniqueTaskQueue } from '../helpers/temporal';

const HOUR = 3_600_000;
const N = 1_200;

/**
 * A time-skipping server and a worker with the check's own activities (welcome, reminder and prune steps) from
 * the real factories over these fakes, for the enclosing describe. `env` is set once its beforeAll has run.
 */
function checkEnvironment(
  memory: ReturnType<typeof createMemoryReminderStore>,
  housekeeping: ReturnType<typeof createMemoryHousekeeping>,
  mail: ReturnType<typeof createRecordingMailer>,
) {
  const taskQueue = uniqueTaskQueue();
  const ctx = { taskQueue } as { taskQueue: string; env: TestWorkflowEnvironment };
  let worker: Worker | undefined;
  let running: Promise<void>;
  beforeAll(async () => {
    ctx.env = await startTimeSkipping();
    const activities = {
      ...createWelcomeActivities({
        store: createMemoryWelcomeStore().store,
        mailer: mail.mailer,
        links: reminderLinks,
        appBaseUrl: 'http://app.test',
      }),
      ...createReminderActivities({
        reminders: memory.store,
        advancer: idleAdvancer,
        mailer: mail.mailer,
        links: reminderLinks,
        sendSlots: testSendSlots,
      }),
      ...createHousekeepingActivities({ housekeeping: housekeeping.store }),
    };
    worker = await startWorker(ctx.env, taskQueue, activities);
    running = worker.run();
  });
  afterAll(async () => {
    if (worker) {
      worker.shutdown();
      await running;
    }
    await ctx.env?.teardown();
  });
  return ctx;
}

describe('reminderCheckWorkflow fan-out (time skipping)', () => {
  const prefix = uniquePrefix('check');
  const ids = createIds(prefix);
  const memory = createMemoryReminderStore();
  // The first check's prune step: a full page of markers, then the rest, and a few sessions.
  const housekeeping = createMemoryHousekeeping({ reminderStarts: [PRUNE_PAGE_SIZE, 7], sessions: [3] });
  const ctx = checkEnvironment(memory, housekeeping, createRecordingMailer());

  /** Every run of a continued-as-new chain, first to last, with its history length. */
  async function runsOf(workflowId: string, firstRunId: string): Promise<number[]> {
    const lengths: number[] = [];
    for (let runId: string | undefined = firstRunId; runId;) {
      const handle: WorkflowHandle = ctx.env.client.workflow.getHandle(workflowId, runId);
      const events = (await handle.fetchHistory()).events ?? [];
      lengths.push(events.length);
      const next: string | null | undefined =
        events.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId;
      runId = next ?? undefined;
    }
    return lengths;
  }

  it(`puts ${N} reminders of one instant in batches of ${REMINDER_BATCH_PAGE_SIZE} across continued runs, none over 2,000 events`, async () => {
    const now = await ctx.env.currentTimeMs();
    // Each subscription has one reminder, at the top of the next hour (inside the check's window).
    const instant = Math.floor(now / HOUR) * HOUR + HOUR;
    const dueDate = localDate(instant, 'UTC');
    const hour = new Date(instant).getUTCHours();
    for (let id = 1; id <= N; id++) {
      memory.owners.set(id, reminderOwner(id, { reminderHour: hour, reminderOffsets: [0] }));
      memory.subscriptions.set(id, reminderSubscription(id, id, dueDate));
    }

    const handle = await ctx.env.client.workflow.start('reminderCheckWorkflow', {
      taskQueue: ctx.taskQueue,
      workflowId: `${prefix}reminder-check-run`,
      args: [{ idPrefix: prefix }],
    });
    const counts: ReminderCheckCounts = await handle.result();

    expect(counts).toMatchObject({
      reminderBatchesStarted: Math.ceil(N / REMINDER_BATCH_PAGE_SIZE),
      remindersStarted: N,
      remindersAlreadyRunning: 0,
      remindersSkipped: 0,
      remindersLate: 0,
      reminderStartsPruned: PRUNE_PAGE_SIZE + 7,
      sessionsPruned: 3,
    });
    // Two prune pages (the first was full), each cutting at two days before the check's day, the month before
    // the check's (report claims) and a day ago.
    const monthBefore = previousMonth(localMonth(now, 'UTC'));
    expect(housekeeping.calls).toEqual([
      { dueBefore: addDays(localDate(now, 'UTC'), -2) },
      { monthBefore },
      { expiredBeforeMs: expect.any(Number) },
      { dueBefore: addDays(localDate(now, 'UTC'), -2) },
      { monthBefore },
      { expiredBeforeMs: expect.any(Number) },
    ]);
    // The check's "now" is taken by its first run, just after `now`.
    expect(Math.abs(now - 86_400_000 - housekeeping.calls[2].expiredBeforeMs!)).toBeLessThan(60_000);
    expect(memory.started.size).toBe(N);
    const lengths = await runsOf(handle.workflowId, handle.firstExecutionRunId);
    expect(lengths.length).toBeGreaterThanOrEqual(Math.ceil(N / REMINDER_BATCH_PAGE_SIZE));
    expect(Math.max(...lengths)).toBeLessThanOrEqual(2_000);
    // Every reminder is held by one of the batches, each batch named by the instant and its contents.
    const batchIds = new Set(memory.batches.values());
    expect(batchIds.size).toBe(Math.ceil(N / REMINDER_BATCH_PAGE_SIZE));
    const batchId = memory.batches.get(`rem:${N}:${dueDate}:0`)!;
    expect(batchId.startsWith(ids.reminderBatch(instant, ''))).toBe(true);
    const batch = await ctx.env.client.workflow.getHandle(batchId).describe();
    expect(batch.type).toBe('reminderBatchWorkflow');

    // A second check finds every reminder started: nothing new, nothing twice.
    const again: ReminderCheckCounts = await ctx.env.client.workflow.execute('reminderCheckWorkflow', {
      taskQueue: ctx.taskQueue,
      workflowId: `${prefix}reminder-check-again`,
      args: [{ idPrefix: prefix }],
    });
    expect(again).toMatchObject({ remindersStarted: 0, remindersAlreadyRunning: 0 });
  }, 120_000);
});

describe('reminderCheckWorkflow and reminders it lists again (time skipping)', () => {
  const prefix = uniquePrefix('rewake');
  const memory = createMemoryReminderStore();
  const mail = createRecordingMailer();
  const ctx = checkEnvironment(memory, createMemoryHousekeeping(), mail);

  /**
   * Runs a check to its end through a plain client: the environment's own client lets the server skip time
   * while it awaits a result, and the server would then jump to the sleeping reminder's instant, which is
   * what the test tells apart.
   */
  const plainClient = () =>
    new Client({
      connection: ctx.env.connection,
      namespace: ctx.env.namespace,
      dataConverter: testDataConverter(),
    });
  function check(name: string): Promise<ReminderCheckCounts> {
    return plainClient().workflow.execute('reminderCheckWorkflow', {
      taskQueue: ctx.taskQueue,
      workflowId: `${prefix}${name}`,
      args: [{ idPrefix: prefix }],
    });
  }

  /** An owner whose reminder (offset 0) fires at the top of the next hour, in a zone keeping one local date. */
  async function arrange(id: number) {
    const now = await ctx.env.currentTimeMs();
    // The owner's zone keeps this hour and the next on one local date (UTC-3 late in the UTC evening).
    const zone = new Date(now).getUTCHours() >= 22 ? 'Etc/GMT+3' : 'UTC';
    const nextHour = Math.floor(now / HOUR) * HOUR + HOUR;
    const dueDate = localDate(nextHour, zone);
    const localHour = (instant: number) =>
      Number(
        new Date(instant).toLocaleString('en-GB', { timeZone: zone, hour: '2-digit', hourCycle: 'h23' }),
      );
    const owner = reminderOwner(id, {
      timezone: zone,
      reminderHour: localHour(nextHour),
      reminderOffsets: [0],
    });
    memory.owners.set(id, owner);
    memory.subscriptions.set(id, reminderSubscription(id, id, dueDate));
    return { now, nextHour, dueDate, owner, localHour, key: `rem:${id}:${dueDate}:0` };
  }

  it('an hour moved earlier that the API could not signal is sent now by a new batch, once, not at the old instant', async () => {
    const { now, nextHour, owner, localHour, key } = await arrange(1);

    expect(await check('first')).toMatchObject({ remindersStarted: 1, remindersAlreadyRunning: 0 });
    const first = ctx.env.client.workflow.getHandle(memory.batches.get(key)!);
    expect((await first.describe()).status.name).toBe('RUNNING');

    // The owner moves their hour to the current one; the API's signal did not get through, so it removed the
    // started marker for the next check to find.
    memory.owners.set(1, { ...owner, reminderHour: localHour(now) });
    memory.started.clear();
    expect(await check('second')).toMatchObject({
      remindersStarted: 1,
      remindersAlreadyRunning: 0,
      remindersLate: 1,
    });
    const second = plainClient().workflow.getHandle(memory.batches.get(key)!);
    expect(second.workflowId).not.toBe(first.workflowId);

    // Awaited without time skipping: it is sent now, while the first batch still sleeps to the old instant.
    const { outcomes } = (await second.result()) as ReminderBatchResult;
    expect(outcomes[key]).toMatchObject({ outcome: 'sent', late: true });
    const log = memory.logs.get(key)!;
    expect(log).toMatchObject({ status: 'sent', late: true, workflowId: second.workflowId });
    expect(log.sentAtMs).toBeLessThan(nextHour);
    expect((await first.describe()).status.name).toBe('RUNNING');
    expect(mail.sent).toHaveLength(1);
  });

  it('signals replan to the batch that holds the very reminders it lists again, and starts nothing new', async () => {
    const { key } = await arrange(2);

    expect(await check('third')).toMatchObject({ remindersStarted: 1, remindersAlreadyRunning: 0 });
    const batchId = memory.batches.get(key)!;
    memory.started.delete(key);
    expect(await check('fourth')).toMatchObject({ remindersStarted: 0, remindersAlreadyRunning: 1 });
    expect(memory.batches.get(key)).toBe(batchId);

    const history = await ctx.env.client.workflow.getHandle(batchId).fetchHistory();
    expect(
      history.events?.some((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'replan'),
    ).toBe(true);
  });
});
