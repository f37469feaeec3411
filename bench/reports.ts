/**
 * `npm run bench:reports -- --n 1000 [--no-write]`: the monthly report's fan-out. n users, each verified, reports
 * on, in UTC at hour 0 (last month has ended for all of them), with two active monthly plans whose charges of
 * last month are in the ledger (as the hourly advance leaves them); the monthly-report schedule triggered once on
 * the dev server, one worker process with the real activities (bench/reminder-worker.ts), the fake Mailgun.
 * Measures the time from the trigger until the last of the n report emails is accepted, CPU and memory, and the
 * parent's and the report batches' run histories (it continues as new per page). Prints a section and writes it to bench/RESULTS.md.
 * SQLite by default; DATABASE_URL (a MariaDB server) gives a fresh database there instead.
 */
import type { ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Database } from '../src/db/database';
import {
  createIds,
  MONTHLY_REPORT_PAGE_SIZE,
  WORKFLOW_TYPES,
  type MonthlyReportCounts,
} from '../src/temporal/contract';
import { applySchedules } from '../src/temporal/schedules';
import { advance, localDate, type IsoMonth } from '../src/time';
import { createTestDatabase, type TestDatabase } from '../test/helpers/database';
import { startFakeMailgun, type FakeMailgun } from '../test/helpers/fake-mailgun';
import { reportMonthAt } from '../workflows/monthly-report.workflow';
import {
  bundle,
  devServerPid,
  startDevServer,
  startWorkerProcess,
  stopWorkerProcess,
  until,
  workerEnvironment,
} from './lib/bench-env';
import { cpuSeconds, kbToMb, peakRssKb } from './lib/proc-memory';
import { progress } from './lib/progress';
import { writeSection } from './lib/results';

const USERS_PER_CHUNK = 500;
/** Each user's plans: monthly, anchored in the report month, on days spread over it (offset per user). */
const PLANS = [
  { name: 'Streaming', category: 'entertainment', priceMinor: 1299, dayShift: 0 },
  { name: 'Cloud storage', category: 'software', priceMinor: 499, dayShift: 14 },
] as const;
const TARGET_USERS = 100_000;

interface ReportRun {
  n: number;
  month: IsoMonth;
  database: string;
  seedMs: number;
  firstMs: number;
  wallMs: number;
  reportsPerSecond: number;
  accepted: number;
  distinctUsers: number;
  duplicates: number;
  /** Report batch workflows (one per page and instant), and the longest history among their runs. */
  reportBatches: number;
  longestBatchHistory: number;
  sentRows: number;
  /** CPU seconds from the trigger until every report's monthly_reports row was written. */
  serverCpuSeconds: number;
  workerCpuSeconds: number;
  workerPeakRssMb: number;
  parentRuns: number;
  longestParentHistory: number;
  parentCounts: MonthlyReportCounts;
}

const log = (m: string) => console.log(`[bench] ${m}`);

async function runReportScenario(n: number): Promise<ReportRun> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'st-bench-'));
  const prefix = `bench-${crypto.randomUUID().slice(0, 8)}-`;
  const taskQueue = `${prefix}tq`;
  const ids = createIds(prefix);
  let env: TestWorkflowEnvironment | undefined;
  let mailgun: FakeMailgun | undefined;
  let testDb: TestDatabase | undefined;
  let worker: ChildProcess | undefined;
  try {
    const bundlePath = process.env.WORKFLOW_BUNDLE_PATH ?? (await bundle(tmp));
    [env, mailgun] = await Promise.all([startDevServer(log), startFakeMailgun()]);
    testDb = await createTestDatabase();
    const { db } = testDb;
    const month = reportMonthAt(Date.now());
    const seeded = Date.now();
    await seed(db, n, month);
    const seedMs = Date.now() - seeded;
    log(`seeded ${n} users (report month ${month}) in ${seedMs} ms`);
    const rarely = '0 0 1 1 *';
    await applySchedules(env.client, {
      ids,
      taskQueue,
      idPrefix: prefix,
      reminderCheckCron: rarely,
      monthlyReportCron: rarely,
      exchangeRatesCron: rarely,
    });
    worker = await startWorkerProcess(
      workerEnvironment({ dataDir: tmp, testDb, env, taskQueue, prefix, mailgun, bundlePath }),
    );
    const serverPid = devServerPid();
    const serverCpuAtTrigger = serverPid ? cpuSeconds(serverPid) : 0;
    const workerCpuAtTrigger = cpuSeconds(worker.pid!);
    const started = Date.now();
    await env.client.schedule.getHandle(ids.schedule('monthlyReport')).trigger('ALLOW_ALL');
    log('triggered the monthly-report schedule');

    const deadline = started + 600_000 + n * 100;
    // Incremental, as in the reminder harness: the first acceptance per user, read once per message.
    const firstByUser = new Map<string, number>();
    let scanned = 0;
    const delivered = () => {
      const { messages } = mailgun!;
      for (; scanned < messages.length; scanned += 1) {
        const userId = /^report:(\d+):/.exec(messages[scanned].variables.idempotency_key ?? '')?.[1];
        if (userId && !firstByUser.has(userId))
          firstByUser.set(userId, messages[scanned].receivedAt.getTime());
      }
      return firstByUser.size;
    };
    const bar = progress(`sending ${n} reports`, n);
    await until(() => (bar.tick(delivered()), delivered() >= n), deadline, 'all report emails');
    bar.done();
    const firsts = [...firstByUser.values()];
    const wallMs = Math.max(...firsts) - started;
    const { MonthlyReport } = db.models;
    const sentRows = () => MonthlyReport.count({ where: { month, status: 'sent' } });
    await until(async () => (await sentRows()) >= n, deadline, 'all monthly_reports rows');
    const serverCpu = serverPid ? cpuSeconds(serverPid) - serverCpuAtTrigger : 0;
    const workerCpu = cpuSeconds(worker.pid!) - workerCpuAtTrigger;
    const workerPeakRssMb = kbToMb(peakRssKb(worker.pid!));
    const accepted = mailgun.messages.filter((m) => m.tags.includes('report')).length;
    return {
      n,
      month,
      database: `${db.sequelize.getDialect()} ${await db.sequelize.databaseVersion()}`,
      seedMs,
      firstMs: Math.min(...firsts) - started,
      wallMs,
      reportsPerSecond: Math.round((n / wallMs) * 10_000) / 10,
      accepted,
      distinctUsers: firstByUser.size,
      duplicates: accepted - firstByUser.size,
      ...(await reportBatches(env, Math.ceil(n / MONTHLY_REPORT_PAGE_SIZE))),
      sentRows: await sentRows(),
      serverCpuSeconds: serverCpu,
      workerCpuSeconds: workerCpu,
      workerPeakRssMb,
      ...(await parentRuns(env, prefix)),
    };
  } finally {
    await stopWorkerProcess(worker);
    await testDb?.close();
    await mailgun?.close();
    await env?.teardown();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * n users who get last month's report, in chunks of USERS_PER_CHUNK: the plans' occurrences before today are
 * in the ledger and their next payment date is on or after today, so the report's advance finds nothing due.
 */
async function seed(db: Database, n: number, month: IsoMonth): Promise<void> {
  const { User, Subscription, Payment } = db.models;
  const now = Date.now();
  const today = localDate(now, 'UTC');
  const verifiedAt = new Date(now - 60 * 86_400_000);
  const tag = crypto.randomUUID().slice(0, 6);
  const bar = progress(`seeding ${n} users`, n);
  for (let first = 0; first < n; first += USERS_PER_CHUNK) {
    bar.tick(first);
    const users = await User.bulkCreate(
      Array.from({ length: Math.min(n - first, USERS_PER_CHUNK) }, (_, i) => ({
        username: `report${first + i}`,
        email: `report${first + i}-${tag}@example.com`,
        passwordHash: 'x',
        emailVerifiedAt: verifiedAt,
        timezone: 'UTC',
        reminderHour: 0,
        monthlyReport: true,
        welcomeStartedAt: verifiedAt,
      })),
    );
    const plans = users.flatMap((user, i) =>
      PLANS.map((plan) => {
        const anchorDate = `${month}-${String(1 + ((first + i + plan.dayShift) % 28)).padStart(2, '0')}`;
        const { due, next } = advance(
          { anchor: anchorDate, cycle: 'monthly', interval: 1 },
          anchorDate,
          today,
        );
        return { userId: user.id, plan, anchorDate, due, next };
      }),
    );
    const subscriptions = await Subscription.bulkCreate(
      plans.map(({ userId, plan, anchorDate, next }) => ({
        userId,
        name: plan.name,
        category: plan.category,
        priceMinor: plan.priceMinor,
        currency: 'USD',
        billingCycle: 'monthly' as const,
        anchorDate,
        nextPaymentDate: next,
      })),
    );
    await Payment.bulkCreate(
      plans.flatMap(({ userId, plan, due }, i) =>
        due.map((dueDate) => ({
          subscriptionId: subscriptions[i]!.id,
          userId,
          name: plan.name,
          category: plan.category,
          dueDate,
          amountMinor: plan.priceMinor,
          currency: 'USD',
        })),
      ),
    );
  }
  bar.done();
}

/**
 * Report batch workflows on the (fresh) server (visibility lags a little, so it waits up to 10 s for `expected`)
 * and the longest history among their runs.
 */
async function reportBatches(env: TestWorkflowEnvironment, expected: number) {
  const query = `WorkflowType = '${WORKFLOW_TYPES.reportBatch}'`;
  let count = 0;
  await until(
    async () => (count = (await env.client.workflow.count(query)).count) >= expected,
    Date.now() + 10_000,
    'report batch workflows in visibility',
  ).catch(() => undefined);
  let longestBatchHistory = 0;
  for await (const { workflowId, runId } of env.client.workflow.list({ query })) {
    const events = (await env.client.workflow.getHandle(workflowId, runId).fetchHistory()).events ?? [];
    longestBatchHistory = Math.max(longestBatchHistory, events.length);
  }
  return { reportBatches: count, longestBatchHistory };
}

/** The monthly-report parent's runs (one per page), the longest history among them, and its final counts. */
async function parentRuns(env: TestWorkflowEnvironment, prefix: string) {
  const runs = [];
  for await (const run of env.client.workflow.list({
    query: `WorkflowType = '${WORKFLOW_TYPES.monthlyReport}'`,
  })) {
    if (run.workflowId.startsWith(prefix)) runs.push(run);
  }
  let longestParentHistory = 0;
  for (const { workflowId, runId } of runs) {
    const events = (await env.client.workflow.getHandle(workflowId, runId).fetchHistory()).events ?? [];
    longestParentHistory = Math.max(longestParentHistory, events.length);
  }
  // Without a run id the handle follows the continued runs to the last one, whose result has the totals.
  const parentCounts: MonthlyReportCounts = await env.client.workflow.getHandle(runs[0]!.workflowId).result();
  return { parentRuns: runs.length, longestParentHistory, parentCounts };
}

function section(
  r: ReportRun,
  meta: { runAt: string; machine: string; loadBefore: string; loadAfter: string },
) {
  const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const perThousand = (cpu: number) => `${((cpu * 1000) / r.n).toFixed(2)} s`;
  const target = (TARGET_USERS / r.reportsPerSecond) * 1000;
  const rows = [
    ['users (n)', r.n.toLocaleString('en-US')],
    ['seeding (users, 2 plans each, last month in the ledger)', secs(r.seedMs)],
    ['wall time, trigger to last report accepted', `${secs(r.wallMs)} (first after ${secs(r.firstMs)})`],
    ['reports per second', String(r.reportsPerSecond)],
    ['distinct users reported', `${r.distinctUsers} of ${r.n}`],
    ['duplicates', `${r.duplicates} (${r.accepted} report emails accepted)`],
    ['report batch workflows (one per page and instant)', String(r.reportBatches)],
    ['longest history of the batch runs', `${r.longestBatchHistory} events`],
    ['monthly_reports rows `sent`', `${r.sentRows} of ${r.n}`],
    [
      'parent runs (continued as new per page): batches (users) started / already started',
      `${r.parentRuns}: ${r.parentCounts.batchesStarted} (${r.parentCounts.usersStarted}) / ${r.parentCounts.batchesAlreadyStarted} (${r.parentCounts.usersAlreadyStarted})`,
    ],
    ['longest history of the parent runs', `${r.longestParentHistory} events`],
    [
      'CPU per 1,000 reports: Temporal dev server / worker',
      `${perThousand(r.serverCpuSeconds)} / ${perThousand(r.workerCpuSeconds)}`,
    ],
    ['worker peak RSS', `${r.workerPeakRssMb} MB`],
    [
      r.n === TARGET_USERS
        ? `${TARGET_USERS.toLocaleString('en-US')} users (measured)`
        : `${TARGET_USERS.toLocaleString('en-US')} users, EXTRAPOLATED linearly from ${r.n} at ${r.reportsPerSecond}/s`,
      r.n === TARGET_USERS ? secs(r.wallMs) : `~${(target / 60_000).toFixed(1)} min (not measured)`,
    ],
  ];
  return [
    '## Monthly report fan-out (`npm run bench:reports -- --n N`)',
    '',
    `Run ${meta.runAt} on ${meta.machine}. Load average (1/5/15) before ${meta.loadBefore}, after ${meta.loadAfter}.`,
    '',
    `${r.n} users, verified, reports on, UTC at hour 0, each with two active monthly plans whose ${r.month} charges are in the ledger; a fresh ${r.database} database. The monthly-report schedule triggered once on the Temporal dev server (in memory, SubTracker's dynamic config); the parent lists ${MONTHLY_REPORT_PAGE_SIZE} users per run, starts one report batch workflow per instant of the page (here one: every user is at UTC hour 0) and continues as new; each batch delivers its users in one heartbeating activity. One worker process (\`node --import tsx bench/reminder-worker.ts\`, the production wiring), the fake Mailgun in the bench process. CPU is counted from the trigger until every monthly_reports row was written.`,
    '',
    [['', ''], ['---', '---'], ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n'),
  ].join('\n');
}

const loadNow = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');

function machine(database: string): string {
  const cpu = os.cpus()[0]?.model.replace(/\s+/g, ' ').trim() ?? '?';
  return `${os.cpus().length} cores (${cpu}), ${Math.round(os.totalmem() / 2 ** 30)} GiB; node ${process.version}, ${database}`;
}

async function main() {
  const i = process.argv.indexOf('--n');
  const n = Number(i >= 0 ? process.argv[i + 1] : 1000);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`--n must be a positive integer, got ${process.argv[i + 1]}`);
  const loadBefore = loadNow();
  const runAt = new Date().toISOString();
  const run = await runReportScenario(n);
  const body = section(run, { runAt, machine: machine(run.database), loadBefore, loadAfter: loadNow() });
  console.log(`\n${body}\n`);
  if (!process.argv.includes('--no-write')) log(`wrote ${await writeSection('reports', body)}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
