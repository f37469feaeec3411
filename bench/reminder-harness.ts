/**
 * Shared by `npm run bench:reminders` and the crash test: a dev server, the fake Mailgun, a SQLite (or
 * DATABASE_URL) database seeded with `n` reminders due now (catch-up: their instant passed this hour, the
 * subscriptions are a month old), the reminder-check schedule, and a worker in a child process that can be
 * SIGKILLed and restarted. Measures wall time, throughput, peak RSS, history lengths (the check's runs and the
 * reminder batches') and duplicates.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Runtime } from '@temporalio/worker';
import { QueryTypes } from 'sequelize';
import type { Database } from '../src/db/database';
import { createIds, WORKFLOW_TYPES } from '../src/temporal/contract';
import { dynamicConfigArgs } from '../src/temporal/dev-server';
import { applySchedules } from '../src/temporal/schedules';
import { resolveTemporalBinary } from '../src/temporal/tools';
import { addDays, localDate } from '../src/time';
import { createTestDatabase, type TestDatabase } from '../test/helpers/database';
import { startFakeMailgun, type FakeMailgun } from '../test/helpers/fake-mailgun';
import { childPids, cpuSeconds } from './lib/proc-memory';
import { progress } from './lib/progress';

const ROOT = path.resolve(__dirname, '..');
const SUBS_PER_USER = 20;
/** Batch runs whose history is read: all of them up to this many, an even sample beyond. */
const BATCH_HISTORY_SAMPLE = 200;

export interface RunOptions {
  n: number;
  /** Fractions of the n messages after which the worker is SIGKILLed and restarted (e.g. [0.3, 0.65]). */
  killAt?: number[];
  log?: (message: string) => void;
  timeoutMs?: number;
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
  /** CPU seconds from the trigger to the last sent log: the dev server's, and the (last) worker process's. */
  serverCpuSeconds: number;
  workerCpuSeconds: number;
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
  try {
    try {
      Runtime.install({ logger: new DefaultLogger('WARN') });
    } catch {
      // Installed already (under Jest).
    }
    const cli = await resolveTemporalBinary('cli', { env: process.env, root: ROOT, log });
    const bundlePath = process.env.WORKFLOW_BUNDLE_PATH ?? (await bundle(tmp));
    [env, mailgun] = await Promise.all([
      TestWorkflowEnvironment.createLocal({
        server: {
          executable: cli,
          ip: '127.0.0.1',
          // BENCH_DEV_SERVER_ARGS: extra `temporal server start-dev` flags, for experiments.
          extraArgs: [
            ...dynamicConfigArgs(),
            ...(process.env.BENCH_DEV_SERVER_ARGS ?? '').split(/\s+/).filter(Boolean),
          ],
        },
      }),
      startFakeMailgun(),
    ]);
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
    });

    const workerEnv: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      DATA_DIR: tmp,
      DATABASE_URL: testDb.config.url ?? `sqlite:${testDb.config.sqlitePath}`,
      TEMPORAL_ADDRESS: env.address,
      TEMPORAL_TASK_QUEUE: taskQueue,
      TEMPORAL_ID_PREFIX: prefix,
      MAILGUN_API_KEY: mailgun.apiKey,
      MAILGUN_URL: mailgun.url,
      MAILGUN_DOMAIN: 'mg.bench',
      APP_BASE_URL: 'https://subtracker.bench',
      JWT_SECRET: crypto.randomBytes(32).toString('hex'),
      WORKFLOW_BUNDLE_PATH: bundlePath,
    };
    const peakRss: number[] = [];
    worker = await startWorkerProcess(workerEnv);
    const serverPid = devServerPid();
    const serverCpuAtTrigger = serverPid ? cpuSeconds(serverPid) : 0;
    const workerCpuAtTrigger = cpuSeconds(worker.pid!);
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
    peakRss.push(peakRssMb(worker.pid!));
    const serverCpu = serverPid ? cpuSeconds(serverPid) - serverCpuAtTrigger : 0;
    const workerCpu = cpuSeconds(worker.pid!) - (kills.length ? 0 : workerCpuAtTrigger);

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
      ...(await histories(env, prefix)),
      loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
    };
  } finally {
    if (worker && worker.exitCode === null) {
      worker.kill('SIGTERM');
      await new Promise((resolve) => worker!.once('exit', resolve));
    }
    await testDb?.close();
    await mailgun?.close();
    await env?.teardown();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

async function bundle(dir: string): Promise<string> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: path.join(ROOT, 'workflows'),
    logger: new DefaultLogger('WARN'),
  });
  const file = path.join(dir, 'workflows.js');
  fs.writeFileSync(file, code);
  return file;
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

function startWorkerProcess(env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  // node itself with tsx as a loader (not the tsx CLI, which forks): SIGKILL must hit the worker's own pid.
  // BENCH_WORKER_NODE_ARGS: extra node flags for the worker only (e.g. --cpu-prof --cpu-prof-dir=/tmp/prof).
  const extra = (process.env.BENCH_WORKER_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  const worker = path.join(__dirname, 'reminder-worker.ts');
  const child = spawn(process.execPath, [...extra, '--import', 'tsx', worker], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('ready')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`worker exited (${code}) before it was ready`)));
  });
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

/** The dev server TestWorkflowEnvironment.createLocal started: this process's child named `temporal`. */
function devServerPid(): number | undefined {
  return childPids(process.pid).find((pid) => {
    try {
      return fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'temporal';
    } catch {
      return false;
    }
  });
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
): Promise<Pick<RunReport, 'largestHistory' | 'batchRuns' | 'batchRunsRead' | 'checkRunMs'>> {
  let largest = { workflowId: '', events: 0 };
  const consider = async ({ workflowId, runId }: { workflowId: string; runId: string }) => {
    const events = (await env.client.workflow.getHandle(workflowId, runId).fetchHistory()).events ?? [];
    if (events.length > largest.events) largest = { workflowId, events: events.length };
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
  for (let i = 0; i < read.length; i += 20) await Promise.all(read.slice(i, i + 20).map(consider));
  const checkRunMs = checks
    .map((run) => ({ start: run.startTime.getTime(), end: run.closeTime?.getTime() ?? Date.now() }))
    .sort((a, b) => a.start - b.start)
    .map((run) => run.end - run.start);
  return { largestHistory: largest, batchRuns: batches.length, batchRunsRead: read.length, checkRunMs };
}

async function until(
  condition: () => boolean | Promise<boolean>,
  deadline: number,
  what: string,
): Promise<void> {
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
