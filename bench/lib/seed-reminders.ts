/**
 * The Flask seed's reminder pipeline, measured like ours (bench/reminder-harness.ts): n subscriptions due
 * tomorrow (UTC) in a fresh MariaDB database migrated by the seed's own Alembic scripts, two RQ reminder
 * workers as shipped (`workers/reminder_worker.py`), the seed's `check_upcoming_payments()` as the trigger, and
 * its Mailgun calls redirected to the fake Mailgun by a sitecustomize.py (the seed is not edited).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Redis from 'ioredis';
import { startFakeMailgun, type FakeMailgun } from '../../test/helpers/fake-mailgun';
import { writeMailgunRedirect } from './mailgun-redirect';
import { freshDatabase, withConnection } from './mysql-admin';
import { kbToMb, startRssSampler } from './proc-memory';
import { progress } from './progress';
import { startSeedWorker, stopSeedWorker, waitForRegistration, type SeedWorker } from './rq-workers';
import { sqlalchemyUrl, upgradeSeedSchema } from './seed-flask';
import { seedReminderData, tomorrowUtc } from './seed-reminder-data';
import { triggerCheckUpcomingPayments, type TriggerResult } from './seed-trigger';

const DATABASE = 'subtracker_bench_seed_rem';
const REDIS_DB = 9;
const WORKERS = 2;
/** With nothing queued or running and no new message for this long, nothing more will arrive. */
const STALL_MS = 15_000;

export interface SeedReminderReport {
  /** Subscriptions due. */
  n: number;
  /** From the start of check_upcoming_payments() to the last message the fake Mailgun accepted. */
  wallMs: number;
  /** distinctDelivered (n when all arrived) per wall second, one decimal. */
  messagesPerSecond: number;
  acceptedMessages: number;
  /** Distinct (to, text) pairs. */
  distinctDelivered: number;
  duplicates: number;
  /** Rows in the seed's reminder_logs table. */
  logsWritten: number;
  successLogs: number;
  /** Sum over the RQ worker processes of their peak RSS (VmHWM). */
  workersPeakRssMb: number;
  /** How long check_upcoming_payments() itself took. */
  enqueueMs: number;
  loadAverage: number[];
  /** The largest peak RSS of a work horse (forked per job) seen alive at a 100 ms sample: a lower bound. */
  largestWorkHorsePeakRssMb?: number;
  workHorsesSampled?: number;
  /** From spawning the trigger process (interpreter start, create_app()) to the last accepted message. */
  wallFromSpawnMs?: number;
  /** Whether all n distinct messages arrived before the timeout (or a stall). */
  complete?: boolean;
  /** Sizes of the seed's RQ keys for the reminders queue at the end (queue, wip, finished, failed, scheduled...). */
  rq?: Record<string, number>;
  /** Worker and trigger logs. */
  logDir?: string;
}

export interface SeedReminderOptions {
  n: number;
  seedDir: string;
  /** mysql://user:pass@host:port/ of a server where databases named subtracker% may be created. */
  serverUrl: string;
  /** redis://host:port (no database index). */
  redisBase: string;
  log?: (m: string) => void;
  /** Longest wait for the n messages (default 20 minutes); then the report says what happened. */
  timeoutMs?: number;
}

export async function runSeedReminderPipeline(opts: SeedReminderOptions): Promise<SeedReminderReport> {
  const log = opts.log ?? (() => undefined);
  const timeoutMs = opts.timeoutMs ?? 20 * 60_000;
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'st-bench-seed-rem-'));
  const redisUrl = `${opts.redisBase.replace(/\/\d*$/, '')}/${REDIS_DB}`;

  const dbUrl = await freshDatabase(opts.serverUrl, DATABASE);
  const baseEnv: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    LANG: 'C.UTF-8',
    DATABASE_URL: sqlalchemyUrl(dbUrl),
    REDIS_URL: redisUrl,
    JWT_SECRET_KEY: crypto.randomBytes(32).toString('hex'),
  };
  log(`migrating ${DATABASE} with the seed's Alembic scripts (flask db upgrade)`);
  await upgradeSeedSchema(opts.seedDir, dbUrl, baseEnv);
  const dueDate = tomorrowUtc();
  const users = await seedReminderData(dbUrl, opts.n, dueDate);
  log(`${opts.n} subscriptions due ${dueDate} over ${users} users`);

  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 3 });
  await redis.flushdb();
  const fake = await startFakeMailgun();
  const siteDir = writeMailgunRedirect();
  const env: NodeJS.ProcessEnv = {
    ...baseEnv,
    PYTHONPATH: siteDir,
    PYTHONUNBUFFERED: '1',
    BENCH_MAILGUN_URL: fake.url,
    MAILGUN_API_KEY: fake.apiKey,
    MAILGUN_DOMAIN: 'mg.bench',
  };
  const workers: SeedWorker[] = [];
  let sampler: ReturnType<typeof startRssSampler> | undefined;
  try {
    for (let i = 0; i < WORKERS; i++) {
      workers.push(startSeedWorker(opts.seedDir, env, path.join(logDir, `worker-${i + 1}.log`)));
    }
    await waitForRegistration(redis, workers);
    log(`${WORKERS} RQ workers registered (pids ${workers.map((w) => w.pid).join(', ')}); triggering`);
    sampler = startRssSampler(workers.map((w) => w.pid));

    const spawnedAt = Date.now();
    let trigger: TriggerResult | undefined;
    let triggerError: unknown;
    const triggered = triggerCheckUpcomingPayments(opts.seedDir, env, path.join(logDir, 'trigger.log')).then(
      (t) => (trigger = t),
      (err: unknown) => (triggerError = err),
    );
    const complete = await waitForDelivery(fake, redis, opts.n, timeoutMs, () => !!trigger || !!triggerError);
    await triggered;
    if (!trigger) throw triggerError;
    log(`check_upcoming_payments() took ${Math.round(trigger.enqueueMs)} ms`);
    const logs = await waitForLogs(dbUrl, redis, opts.n);

    sampler.sample();
    sampler.stop();
    const workerPeaks = sampler.peaks();
    const horses = sampler.children();
    await Promise.all(workers.map((w) => stopSeedWorker(w)));
    const rq = await rqSizes(redis);
    if ((rq['rq:failed:reminders'] ?? 0) > 0 || (rq['rq:scheduled:reminders'] ?? 0) > 0) {
      log(`failed or retrying jobs: see the worker logs in ${logDir}`);
    }

    const distinct = new Set(fake.messages.map((m) => `${m.to}\n${m.text}`)).size;
    const last = Math.max(0, ...fake.messages.map((m) => m.receivedAt.getTime()));
    const wallMs = fake.messages.length > 0 ? Math.round(last - trigger.startedAtMs) : 0;
    return {
      n: opts.n,
      wallMs,
      messagesPerSecond: wallMs > 0 ? Math.round((distinct / wallMs) * 10_000) / 10 : 0,
      acceptedMessages: fake.messages.length,
      distinctDelivered: distinct,
      duplicates: fake.messages.length - distinct,
      logsWritten: logs.total,
      successLogs: logs.success,
      workersPeakRssMb: kbToMb(workerPeaks.reduce((a, b) => a + b, 0)),
      enqueueMs: Math.round(trigger.enqueueMs),
      loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
      largestWorkHorsePeakRssMb: kbToMb(horses.largestKb),
      workHorsesSampled: horses.seen,
      wallFromSpawnMs: fake.messages.length > 0 ? last - spawnedAt : 0,
      complete,
      rq,
      logDir,
    };
  } finally {
    sampler?.stop();
    await Promise.all(workers.map((w) => stopSeedWorker(w)));
    await fake.close();
    redis.disconnect();
    fs.rmSync(siteDir, { recursive: true, force: true });
  }
}

/** Waits for n distinct messages; false on timeout or when nothing is queued or running any more. */
async function waitForDelivery(
  fake: FakeMailgun,
  redis: Redis,
  n: number,
  timeoutMs: number,
  enqueued: () => boolean,
): Promise<boolean> {
  const bar = progress('seed delivery (messages of n)', n);
  const distinct = new Set<string>();
  const started = Date.now();
  let seen = 0;
  let lastProgress = started;
  try {
    for (;;) {
      for (; seen < fake.messages.length; seen++) {
        const m = fake.messages[seen]!;
        distinct.add(`${m.to}\n${m.text}`);
        lastProgress = Date.now();
      }
      bar.tick(distinct.size);
      if (distinct.size >= n) return true;
      if (Date.now() - started > timeoutMs) return false;
      if (enqueued() && Date.now() - lastProgress > STALL_MS && (await pendingJobs(redis)) === 0)
        return false;
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    bar.done();
  }
}

/** Jobs waiting in the reminders queue or running (RQ's wip registry). */
async function pendingJobs(redis: Redis): Promise<number> {
  const [queued, running] = await Promise.all([
    redis.llen('rq:queue:reminders'),
    redis.zcard('rq:wip:reminders'),
  ]);
  return queued + running;
}

/** reminder_logs once it has n rows, or has stopped growing with no job pending (3 s), or after 60 s. */
async function waitForLogs(
  dbUrl: string,
  redis: Redis,
  n: number,
): Promise<{ total: number; success: number }> {
  return withConnection(dbUrl, async (c) => {
    const count = async () => {
      const [rows] = await c.query(
        'SELECT COUNT(*) AS total, COALESCE(SUM(success = 1), 0) AS success FROM reminder_logs',
      );
      const row = (rows as { total: number | string; success: number | string }[])[0]!;
      return { total: Number(row.total), success: Number(row.success) };
    };
    const deadline = Date.now() + 60_000;
    let last = await count();
    let changedAt = Date.now();
    while (last.total < n && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      const now = await count();
      if (now.total !== last.total) changedAt = Date.now();
      else if (Date.now() - changedAt > 3_000 && (await pendingJobs(redis)) === 0) break;
      last = now;
    }
    return last;
  });
}

/** Sizes of the RQ keys of the reminders queue (lists, sorted sets, sets). */
async function rqSizes(redis: Redis): Promise<Record<string, number>> {
  const sizes: Record<string, number> = {};
  for (const key of (await redis.keys('rq:*:reminders')).sort()) {
    const type = await redis.type(key);
    if (type === 'list') sizes[key] = await redis.llen(key);
    else if (type === 'zset') sizes[key] = await redis.zcard(key);
    else if (type === 'set') sizes[key] = await redis.scard(key);
  }
  return sizes;
}
