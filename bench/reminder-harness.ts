/**
 * Shared by `npm run bench:reminders` and the crash test: a dev server, the fake Mailgun, a SQLite (or
 * DATABASE_URL) database seeded with `n` reminders due now (catch-up: their instant passed this hour, the
 * subscriptions are a month old), the reminder-check schedule, and a worker in a child process that can be
 * SIGKILLed and restarted. Measures wall time, throughput, peak RSS, history lengths (the check's runs and the
 * reminder batches') and duplicates.
 */
import type { ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { QueryTypes } from 'sequelize';
import type { Database } from '../src/db/database';
import { createIds, WORKFLOW_TYPES } from '../src/temporal/contract';
import { applySchedules } from '../src/temporal/schedules';
import { addDays, localDate } from '../src/time';
import { createTestDatabase, type TestDatabase } from '../test/helpers/database';
import { startFakeMailgun, type FakeMailgun } from '../test/helpers/fake-mailgun';
import {
  bundle,
  devServerPid,
  startDevServer,
  startWorkerProcess,
  stopWorkerProcess,
  until,
  workerEnvironment,
} from './lib/bench-env';
import { cpuSeconds } from './lib/proc-memory';
import { progress } from './lib/progress';
import { postgresCpuSeconds, type RealServer } from './lib/real-server';

const SUBS_PER_USER = 20;
/** Batch runs whose history is read: all of them up to this many, an even sample beyond. */
const BATCH_HISTORY_SAMPLE = 200;

export interface RunOptions {
  n: number;
  /** Fractions of the n messages after which the worker is SIGKILLed and restarted (e.g. [0.3, 0.65]). */
  killAt?: number[];
  log?: (message: string) => void;
  timeoutMs?: number;
  /** Run on this real server (scripts/temporal-server.sh) instead of a fresh dev server. */
  server?: RealServer;
  /** Worker processes polling the task queue (default 1); kills (killAt) hit the first one. */
  workers?: number;
}

export interface RunReport {
  n: number;
  wallMs: number;
  messagesPerSecond: number;
  acceptedMessages: number;
  distinctDelivered: number;
  duplicates: number;
  /** Reminders a killed worker sent without logging them: sent again by the retried delivery (see inFlight). */
  inFlightAtKills: number;
  kills: number;
  sentLogs: number;
  keysWithOneSentLog: number;
  workerPeakRssMb: number;
  /** CPU seconds from the trigger to the last sent log: the Temporal server's, and the (last) worker processes'. */
  serverCpuSeconds: number;
  workerCpuSeconds: number;
  /** The real server's PostgreSQL over the same span (0 on the dev server, whose SQLite is in-process). */
  postgresCpuSeconds: number;
  workers: number;
  /** History events of every check and batch run (batches extrapolated from the sample when sampled). */
  totalEvents: number;
  /** The same by event type, e.g. ACTIVITY_TASK_SCHEDULED (for counting billable actions). */
  eventTypes: Record<string, number>;
  /** The longest history among the check's runs and the reminder batches' runs (all, or a sample if many). */
  largestHistory: { workflowId: string; events: number };
  /** Runs of reminder batch workflows (continued runs included), and how many of them were read. */
  batchRuns: number;
  batchRunsRead: number;
  /** The reminder check's runs (one page each), oldest first: how long each took, in ms. */
  checkRunMs: number[];
  loadAverage: number[];
}

export async function runReminderScenario(opts: RunOptions): Promise<RunReport> {
  const log = opts.log ?? (() => undefined);
  const killAt = [...(opts.killAt ?? [])].sort();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'st-bench-'));
  const prefix = `bench-${crypto.randomUUID().slice(0, 8)}-`;
  const taskQueue = `${prefix}tq`;
  const ids = createIds(prefix);
  let env: TestWorkflowEnvironment | undefined;
  let mailgun: FakeMailgun | undefined;
  let testDb: TestDatabase | undefined;
  let worker: ChildProcess | undefined;
  const others: ChildProcess[] = [];
  const workerCount = opts.workers ?? 1;
  if (killAt.length && workerCount > 1) throw new Error('kills are measured with one worker only');
  try {
    const bundlePath = process.env.WORKFLOW_BUNDLE_PATH ?? (await bundle(tmp));
    [env, mailgun] = await Promise.all([startDevServer(log, opts.server?.address), startFakeMailgun()]);
    // A fresh database: SQLite in a temp dir, or a new database on the DATABASE_URL server.
    testDb = await createTestDatabase();
    const db = testDb.db;
    const seeded = Date.now();
    await seed(db, opts.n);
    log(`seeded ${opts.n} reminders in ${Date.now() - seeded} ms`);
    const rarely = '0 0 1 1 *';
    await applySchedules(env.client, {
      ids,
      taskQueue,
      idPrefix: prefix,
      reminderCheckCron: rarely,
      monthlyReportCron: rarely,
      exchangeRatesCron: rarely,
    });

    const workerEnv = workerEnvironment({
      dataDir: tmp,
      testDb,
      env,
      taskQueue,
      prefix,
      mailgun,
      bundlePath,
    });
    const peakRss: number[] = [];
    worker = await startWorkerProcess(workerEnv);
    for (let i = 1; i < workerCount; i += 1) others.push(await startWorkerProcess(workerEnv));
    const othersCpu = () => others.reduce((sum, w) => sum + cpuSeconds(w.pid!), 0);
    const pids = opts.server?.pids();
    const serverPid = pids ? pids.server : devServerPid();
    const pgCpu = () => (pids ? postgresCpuSeconds(pids.postgres) : 0);
    const serverCpuAtTrigger = serverPid ? cpuSeconds(serverPid) : 0;
    const pgCpuAtTrigger = pgCpu();
    const workerCpuAtTrigger = cpuSeconds(worker.pid!) + othersCpu();
    const schedule = env.client.schedule.getHandle(ids.schedule('reminderCheck'));
    const started = Date.now();
    await schedule.trigger('ALLOW_ALL');
    log('triggered the reminder-check schedule');

    /** Per kill: when the killed worker had exited, and when its successor was ready. */
    const kills: { diedAt: number; readyAt: number }[] = [];
    const deadline = started + (opts.timeoutMs ?? 600_000 + opts.n * 100);
    // Incremental: at 100,000 messages a Set rebuilt on every poll would compete with the run for CPU.
    const seenKeys = new Set<string>();
    let scanned = 0;
    const delivered = () => {
      const { messages } = mailgun!;
      for (; scanned < messages.length; scanned += 1)
        seenKeys.add(messages[scanned].variables.idempotency_key);
      return seenKeys.size;
    };
    for (const fraction of killAt) {
      await until(() => delivered() >= Math.ceil(fraction * opts.n), deadline, 'kill point');
      peakRss.push(peakRssMb(worker.pid!));
      worker.kill('SIGKILL');
      log(`SIGKILL worker at ${delivered()} of ${opts.n} delivered; restarting`);
      await new Promise((resolve) => worker!.once('exit', resolve));
      const diedAt = Date.now();
      worker = await startWorkerProcess(workerEnv);
      kills.push({ diedAt, readyAt: Date.now() });
    }
    const bar = progress(`delivering ${opts.n} reminders`, opts.n);
    await until(() => (bar.tick(delivered()), delivered() >= opts.n), deadline, 'all messages');
    bar.done();
    const firstByKey = firstDeliveries(mailgun);
    const firsts = [...firstByKey.values()];
    const wallMs = Math.max(...firsts) - started;
    log(`first delivered after ${Math.min(...firsts) - started} ms, all ${opts.n} after ${wallMs} ms`);
    await until(async () => (await sentLogCount(db)) >= opts.n, deadline, 'all sent logs');
    peakRss.push(peakRssMb(worker.pid!), ...others.map((w) => peakRssMb(w.pid!)));
    const serverCpu = serverPid ? cpuSeconds(serverPid) - serverCpuAtTrigger : 0;
    const postgresCpu = pgCpu() - pgCpuAtTrigger;
    const workerCpu = cpuSeconds(worker.pid!) + othersCpu() - (kills.length ? 0 : workerCpuAtTrigger);

    const perKey = new Map<string, number[]>();
    for (const m of mailgun.messages) {
      const key = m.variables.idempotency_key;
      perKey.set(key, [...(perKey.get(key) ?? []), m.receivedAt.getTime()]);
    }
    const duplicates = [...perKey.values()].reduce((sum, times) => sum + times.length - 1, 0);
    const sentPerKey = await db.sequelize.query<{ n: number }>(
      "SELECT COUNT(*) AS n FROM reminder_logs WHERE status = 'sent' GROUP BY idempotency_key",
      { type: QueryTypes.SELECT },
    );
    return {
      n: opts.n,
      wallMs,
      messagesPerSecond: Math.round((opts.n / wallMs) * 10_000) / 10,
      acceptedMessages: mailgun.messages.length,
      distinctDelivered: perKey.size,
      duplicates,
      inFlightAtKills: kills.length ? await inFlight(db, perKey, kills) : 0,
      kills: kills.length,
      sentLogs: sentPerKey.reduce((sum, r) => sum + Number(r.n), 0),
      keysWithOneSentLog: sentPerKey.filter((r) => Number(r.n) === 1).length,
      workerPeakRssMb: Math.max(...peakRss),
      serverCpuSeconds: Math.round(serverCpu * 10) / 10,
      workerCpuSeconds: Math.round(workerCpu * 10) / 10,
      postgresCpuSeconds: Math.round(postgresCpu * 10) / 10,
      workers: workerCount,
      ...(await histories(env, prefix)),
      loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
    };
  } finally {
    await Promise.all([worker, ...others].map(stopWorkerProcess));
    await testDb?.close();
    await mailgun?.close();
    await env?.teardown();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** Users in UTC reminding at this hour, each with monthly plans due tomorrow (offset 1): the instant passed. */
async function seed(db: Database, n: number): Promise<void> {
  const now = Date.now();
  const hour = new Date(now).getUTCHours();
  const tomorrow = addDays(localDate(now, 'UTC'), 1);
  const monthAgo = new Date(now - 30 * 86_400_000);
  const { User, Subscription } = db.models;
  const tag = crypto.randomUUID().slice(0, 6);
  const bar = progress(`seeding ${n} subscriptions`, n);
  for (let first = 0; first < n; first += SUBS_PER_USER * 50) {
    bar.tick(first);
    const count = Math.min(n - first, SUBS_PER_USER * 50);
    const users = await User.bulkCreate(
      Array.from({ length: Math.ceil(count / SUBS_PER_USER) }, (_, i) => ({
        username: `bench${first + i}`,
        email: `bench${first + i}-${tag}@example.com`,
        passwordHash: 'x',
        emailVerifiedAt: monthAgo,
        reminderHour: hour,
        reminderOffsets: [1],
        welcomeStartedAt: monthAgo,
      })),
    );
    await Subscription.bulkCreate(
      Array.from({ length: count }, (_, i) => ({
        userId: users[Math.floor(i / SUBS_PER_USER)].id,
        name: `Plan ${first + i}`,
        priceMinor: 999,
        currency: 'USD',
        billingCycle: 'monthly' as const,
        anchorDate: tomorrow,
        nextPaymentDate: tomorrow,
        createdAt: monthAgo,
      })),
    );
  }
  bar.done();
  await db.sequelize.query('UPDATE subscriptions SET created_at = :monthAgo', { replacements: { monthAgo } });
}

/** Peak resident set of a live process (Linux VmHWM), in MB. */
function peakRssMb(pid: number): number {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Math.round(Number(match[1]) / 1024) : 0;
  } catch {
    return 0;
  }
}

async function sentLogCount(db: Database): Promise<number> {
  const [row] = await db.sequelize.query<{ n: number }>(
    "SELECT COUNT(DISTINCT idempotency_key) AS n FROM reminder_logs WHERE status = 'sent'",
    { type: QueryTypes.SELECT },
  );
  return Number(row?.n ?? 0);
}

function firstDeliveries(mailgun: FakeMailgun): Map<string, number> {
  const first = new Map<string, number>();
  for (const m of mailgun.messages) {
    const key = m.variables.idempotency_key;
    if (!first.has(key)) first.set(key, m.receivedAt.getTime());
  }
  return first;
}

/**
 * Sends lost with their worker: messages the fake received from a worker that was then killed (after the
 * previous worker was ready, before this kill's successor was) whose reminder was not logged when it died (its
 * row was written after the kill). The delivery retried after a kill skips every reminder already logged and
 * sends the others again, so each such message can cause one duplicate, and nothing else can. A reminder lost
 * at both kills counts twice, as it is sent three times. Read from the log rows' write times: their `attempts`
 * cannot tell, since a retried delivery counts each reminder's attempts from the batch's state, where a send
 * lost with its worker was never recorded.
 */
async function inFlight(
  db: Database,
  deliveries: Map<string, number[]>,
  kills: { diedAt: number; readyAt: number }[],
): Promise<number> {
  const logs = await db.models.ReminderLog.findAll({
    attributes: ['idempotencyKey', 'createdAt'],
    where: { status: 'sent' },
  });
  let lost = 0;
  for (const row of logs) {
    const loggedAt = row.createdAt.getTime();
    const times = deliveries.get(row.idempotencyKey) ?? [];
    kills.forEach((k, i) => {
      const from = i === 0 ? 0 : kills[i - 1].readyAt;
      if (loggedAt < k.diedAt) return;
      lost += times.filter((t) => t >= from && t < k.readyAt).length;
    });
  }
  return lost;
}

/**
 * The longest history among the check's runs (every continued run) and the reminder batches' runs (all of them
 * up to BATCH_HISTORY_SAMPLE, an even sample beyond), and the check runs' durations.
 */
async function histories(
  env: TestWorkflowEnvironment,
  prefix: string,
): Promise<
  Pick<
    RunReport,
    'largestHistory' | 'batchRuns' | 'batchRunsRead' | 'checkRunMs' | 'totalEvents' | 'eventTypes'
  >
> {
  let largest = { workflowId: '', events: 0 };
  /** Event counts by type: of the check runs (weight 1), of the batch sample (weighted up to all batches). */
  const types = new Map<string, number>();
  let weight = 1;
  const consider = async ({ workflowId, runId }: { workflowId: string; runId: string }) => {
    const events = (await env.client.workflow.getHandle(workflowId, runId).fetchHistory()).events ?? [];
    if (events.length > largest.events) largest = { workflowId, events: events.length };
    for (const e of events) {
      const type = temporal.api.enums.v1.EventType[e.eventType ?? 0] ?? String(e.eventType);
      types.set(type, (types.get(type) ?? 0) + weight);
    }
  };
  const runsOf = async (type: string) => {
    const runs = [];
    for await (const run of env.client.workflow.list({ query: `WorkflowType = '${type}'` })) {
      if (run.workflowId.startsWith(prefix)) runs.push(run);
    }
    return runs;
  };
  const checks = await runsOf(WORKFLOW_TYPES.reminderCheck);
  for (const run of checks) await consider(run);
  const batches = await runsOf(WORKFLOW_TYPES.reminderBatch);
  const step = Math.max(1, batches.length / BATCH_HISTORY_SAMPLE);
  const read = Array.from(
    { length: Math.min(batches.length, BATCH_HISTORY_SAMPLE) },
    (_, i) => batches[Math.floor(i * step)]!,
  );
  weight = read.length ? batches.length / read.length : 1;
  for (let i = 0; i < read.length; i += 20) await Promise.all(read.slice(i, i + 20).map(consider));
  const checkRunMs = checks
    .map((run) => ({ start: run.startTime.getTime(), end: run.closeTime?.getTime() ?? Date.now() }))
    .sort((a, b) => a.start - b.start)
    .map((run) => run.end - run.start);
  const eventTypes = Object.fromEntries([...types].map(([type, count]) => [type, Math.round(count)]));
  const totalEvents = Object.values(eventTypes).reduce((sum, count) => sum + count, 0);
  return {
    largestHistory: largest,
    batchRuns: batches.length,
    batchRunsRead: read.length,
    checkRunMs,
    totalEvents,
    eventTypes,
  };
}
