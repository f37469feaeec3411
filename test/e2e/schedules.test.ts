import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WorkflowFailedError, type ScheduleHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createActivities } from '../../activities';
import { createIds } from '../../src/temporal/contract';
import { terminateRetiredRuns } from '../../src/temporal/retired-workflows';
import { applySchedules } from '../../src/temporal/schedules';
import {
  createMemoryWelcomeStore,
  createRecordingMailer,
  testLinks,
  welcomeUser,
} from '../helpers/temporal-fakes';
import {
  createMemoryHousekeeping,
  createMemoryReminderStore,
  idleAdvancer,
  reminderLinks,
  testSendSlots,
} from '../helpers/reminder-fakes';
import { createMemoryReportStore, reportLinks } from '../helpers/report-fakes';
import { eventually, triggerAndAwaitRun as triggerRun } from '../helpers/schedule-runs';
import {
  startDevServer,
  startWorkers,
  type WorkerGroup,
  uniquePrefix,
  uniqueTaskQueue,
} from '../helpers/temporal';

describe('schedules on the dev server', () => {
  const prefix = uniquePrefix('sched');
  const ids = createIds(prefix);
  const taskQueue = uniqueTaskQueue();
  const settings = (reminderCheckCron = '0 * * * *') => ({
    ids,
    taskQueue,
    idPrefix: prefix,
    reminderCheckCron,
    monthlyReportCron: '0 0 1 * *',
    exchangeRatesCron: '0 16 * * *',
  });
  const users = createMemoryWelcomeStore([1, 2, 3].map((id) => welcomeUser(id)));
  const mail = createRecordingMailer();
  let env: TestWorkflowEnvironment;
  let worker: WorkerGroup;
  let running: Promise<void>;
  let schedule: ScheduleHandle;
  /** Stands in for an ECB address that answers something else (a captive portal, a maintenance page). */
  const notEcb = http.createServer((_req, res) => res.writeHead(200).end('<html>Maintenance</html>'));
  const storedRates: unknown[] = [];

  beforeAll(async () => {
    env = await startDevServer();
    notEcb.listen(0, '127.0.0.1');
    await new Promise((resolve) => notEcb.once('listening', resolve));
    const ecbBase = `http://127.0.0.1:${(notEcb.address() as AddressInfo).port}`;
    const activities = createActivities({
      store: users.store,
      reminders: createMemoryReminderStore().store,
      housekeeping: createMemoryHousekeeping().store,
      advancer: idleAdvancer,
      ...createMemoryReportStore().deps,
      mailer: mail.mailer,
      sendSlots: testSendSlots,
      links: { ...reminderLinks, ...testLinks, ...reportLinks },
      appBaseUrl: 'http://app.test',
      exchangeRates: {
        store: {
          upsertDays: async (days) => storedRates.push(...days),
          datesBetween: async () => [],
        },
        urls: { daily: `${ecbBase}/eurofxref-daily.xml`, history: `${ecbBase}/eurofxref-hist-90d.xml` },
      },
    });
    worker = await startWorkers(env, taskQueue, activities);
    running = worker.run();
    schedule = env.client.schedule.getHandle(ids.schedule('reminderCheck'));
  });
  afterAll(async () => {
    if (worker) {
      worker.shutdown();
      await running;
    }
    await env?.teardown();
    await new Promise((resolve) => notEcb.close(resolve));
  });

  const triggerAndAwaitRun = () => triggerRun(env.client, schedule);

  /** Completed welcome workflows of this file, from visibility (eventually consistent, hence the polling). */
  async function completedWelcomes(expected: number): Promise<number> {
    const query = `WorkflowType = 'welcomeWorkflow' AND WorkflowId STARTS_WITH '${prefix}' AND ExecutionStatus = 'Completed'`;
    return eventually(async () => {
      const { count } = await env.client.workflow.count(query);
      return count === expected ? count : undefined;
    });
  }

  it('creates the reminder-check, monthly-report and exchange-rates schedules with SKIP overlap, their catch-up windows and crons', async () => {
    expect(await applySchedules(env.client, settings())).toEqual([
      { id: `${prefix}reminder-check`, action: 'created' },
      { id: `${prefix}monthly-report`, action: 'created' },
      { id: `${prefix}exchange-rates`, action: 'created' },
    ]);

    const described = await schedule.describe();
    expect(described.policies).toEqual({ overlap: 'SKIP', catchupWindow: 3_600_000, pauseOnFailure: false });
    expect(described.action).toMatchObject({
      workflowType: 'reminderCheckWorkflow',
      taskQueue,
      args: [{ idPrefix: prefix }],
    });
    expect(described.spec.calendars?.[0].minute).toEqual([{ start: 0, end: 0, step: 1 }]);
    expect(described.state.paused).toBe(false);

    const monthly = await env.client.schedule.getHandle(ids.schedule('monthlyReport')).describe();
    expect(monthly.policies).toEqual({
      overlap: 'SKIP',
      catchupWindow: 7 * 86_400_000,
      pauseOnFailure: false,
    });
    expect(monthly.action).toMatchObject({
      workflowType: 'monthlyReportWorkflow',
      taskQueue,
      args: [{ idPrefix: prefix }],
    });
    expect(monthly.spec.calendars?.[0]).toMatchObject({
      dayOfMonth: [{ start: 1, end: 1, step: 1 }],
      hour: [{ start: 0, end: 0, step: 1 }],
      minute: [{ start: 0, end: 0, step: 1 }],
    });

    const rates = await env.client.schedule.getHandle(ids.schedule('exchangeRates')).describe();
    expect(rates.policies).toEqual({ overlap: 'SKIP', catchupWindow: 86_400_000, pauseOnFailure: false });
    expect(rates.action).toMatchObject({ workflowType: 'exchangeRatesWorkflow', taskQueue, args: [{}] });
    expect(rates.spec.calendars?.[0]).toMatchObject({
      hour: [{ start: 16, end: 16, step: 1 }],
      minute: [{ start: 0, end: 0, step: 1 }],
    });
  });

  it('a triggered run starts one welcome per unwelcomed user, and a later run starts none again', async () => {
    expect(await triggerAndAwaitRun()).toMatchObject({ welcomeStarted: 3, welcomeAlreadyRunning: 0 });
    const outcomes = await Promise.all(
      [1, 2, 3].map((id) => env.client.workflow.getHandle(ids.welcome(id)).result()),
    );
    expect(outcomes.map((r) => r.outcome)).toEqual(['sent', 'sent', 'sent']);
    expect(await completedWelcomes(3)).toBe(3);
    expect(mail.sent.map((m) => m.idempotencyKey).sort()).toEqual(['welcome:1', 'welcome:2', 'welcome:3']);
    expect([...users.welcomed].sort()).toEqual([1, 2, 3]);

    // Marks lost (e.g. a crash after starting): completed welcomes are counted, never started twice.
    users.welcomed.clear();
    expect(await triggerAndAwaitRun()).toMatchObject({ welcomeStarted: 0, welcomeAlreadyRunning: 3 });
    expect(await completedWelcomes(3)).toBe(3);
    expect(mail.sent).toHaveLength(3);
  });

  it('an exchange-rates run that gets no ECB document fails, listed as Failed (as the Web UI shows it), and the schedule goes on', async () => {
    const rates = env.client.schedule.getHandle(ids.schedule('exchangeRates'));
    const err = await triggerRun(env.client, rates).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    expect(String(((err as WorkflowFailedError).cause?.cause as Error | undefined)?.message)).toMatch(
      /Not an ECB reference rates document/,
    );
    const failed = `WorkflowType = 'exchangeRatesWorkflow' AND WorkflowId STARTS_WITH '${prefix}' AND ExecutionStatus = 'Failed'`;
    expect(
      await eventually(async () => {
        const { count } = await env.client.workflow.count(failed);
        return count === 1 ? count : undefined;
      }),
    ).toBe(1);
    expect(storedRates).toEqual([]);
    expect((await rates.describe()).state.paused).toBe(false);
  });

  it('applying an unchanged definition reports unchanged and does not touch the schedule', async () => {
    const before = await schedule.describe();
    expect(await applySchedules(env.client, settings())).toEqual([
      { id: `${prefix}reminder-check`, action: 'unchanged' },
      { id: `${prefix}monthly-report`, action: 'unchanged' },
      { id: `${prefix}exchange-rates`, action: 'unchanged' },
    ]);
    expect((await schedule.describe()).info.lastUpdatedAt).toEqual(before.info.lastUpdatedAt);
  });

  it('keeps a paused schedule paused, with its note, through an unchanged and a changed apply', async () => {
    await schedule.pause('paused by an operator');
    expect(await applySchedules(env.client, settings())).toEqual([
      { id: `${prefix}reminder-check`, action: 'unchanged' },
      { id: `${prefix}monthly-report`, action: 'unchanged' },
      { id: `${prefix}exchange-rates`, action: 'unchanged' },
    ]);
    expect((await schedule.describe()).state).toMatchObject({ paused: true, note: 'paused by an operator' });

    expect(await applySchedules(env.client, settings('*/30 * * * *'))).toEqual([
      { id: `${prefix}reminder-check`, action: 'updated', changed: ['spec'] },
      { id: `${prefix}monthly-report`, action: 'unchanged' },
      { id: `${prefix}exchange-rates`, action: 'unchanged' },
    ]);
    const described = await schedule.describe();
    expect(described.state).toMatchObject({ paused: true, note: 'paused by an operator' });
    expect(described.spec.calendars?.[0].minute).toEqual([{ start: 0, end: 59, step: 30 }]);
    expect(await applySchedules(env.client, settings('0,30 * * * *'))).toEqual([
      { id: `${prefix}reminder-check`, action: 'unchanged' },
      { id: `${prefix}monthly-report`, action: 'unchanged' },
      { id: `${prefix}exchange-rates`, action: 'unchanged' },
    ]);
  });

  it('updates the action when the task queue changes', async () => {
    const moved = { ...settings('0,30 * * * *'), taskQueue: `${taskQueue}-moved` };
    expect(await applySchedules(env.client, moved)).toEqual([
      { id: `${prefix}reminder-check`, action: 'updated', changed: ['action'] },
      { id: `${prefix}monthly-report`, action: 'updated', changed: ['action'] },
      { id: `${prefix}exchange-rates`, action: 'updated', changed: ['action'] },
    ]);
    expect((await schedule.describe()).action.taskQueue).toBe(`${taskQueue}-moved`);
  });

  it('terminates the open runs of retired workflow types under its prefix, and only those', async () => {
    const start = (workflowId: string, type: string) =>
      env.client.workflow.start(type, { workflowId, taskQueue: `${taskQueue}-nobody`, args: [] });
    const legacy = await start(`${prefix}reminder-1-2026-01-15-1`, 'reminderWorkflow');
    const other = await start(`${prefix}other-1`, 'welcomeWorkflow');
    const foreign = await start(`elsewhere-${prefix}reminder-1`, 'reminderWorkflow');
    const running = `WorkflowType = 'reminderWorkflow' AND ExecutionStatus = 'Running'`;
    await eventually(async () => {
      const { count } = await env.client.workflow.count(running);
      return count >= 2 ? count : undefined;
    });
    expect(await terminateRetiredRuns(env.client, prefix)).toBe(1);
    expect((await legacy.describe()).status.name).toBe('TERMINATED');
    expect((await other.describe()).status.name).toBe('RUNNING');
    expect((await foreign.describe()).status.name).toBe('RUNNING');
    await Promise.all([other.terminate(), foreign.terminate()]);
  });
});
