import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { defaultPayloadConverter, fromPayloadsAtIndex, type Payload } from '@temporalio/common';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { QueryTypes } from 'sequelize';
import type { Database } from '../../src/db/database';
import type { DeliveryRequest } from '../../activities/reminder-delivery';
import { createIds, reminderKeyOf, WORKFLOW_TYPES } from '../../src/temporal/contract';
import { ensureDevServer, type DevServer } from '../../src/temporal/dev-server';
import { applySchedules } from '../../src/temporal/schedules';
import { createWorker } from '../../src/temporal/worker';
import { addDays, localDate } from '../../src/time';
import { createWorkerActivities } from '../../src/worker-activities';
import { createTestApp, type TestApp } from '../helpers/app';
import { e2eAppEnv } from '../helpers/e2e-harness';
import { startFakeMailgun, type FakeMailgun } from '../helpers/fake-mailgun';
import { testDataConverter, testPayloadCodec } from '../helpers/payload-keys';
import { freePort } from '../helpers/private-services';
import { quietTemporalLogs, uniquePrefix, workflowBundle } from '../helpers/temporal';

/**
 * The Temporal dev server stopped and restarted on the same database file in the middle of a reminder run
 * (2,000 reminders on the dev server's SQLite file; `scripts/crash-test-reminders.ts`
 * runs the worker-kill version). Afterwards every reminder has exactly one `sent` log, every one was delivered,
 * and duplicates are no more than the sends in flight at the stop (reminders whose batch's delivery activity
 * needed a second attempt) plus the sends retried after their answer was lost (a client timeout under load).
 */
const N = 2000;
/** Generous: on two loaded cores (the other Jest worker running) the run takes a few minutes. */
const RUN_BUDGET_MS = 540_000;
const SUBS_PER_USER = 20;

describe('reminders survive a Temporal server restart mid-run', () => {
  const prefix = uniquePrefix('e2e-restart');
  const taskQueue = `${prefix}tq`;
  const ids = createIds(prefix);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'st-restart-'));
  let mailgun: FakeMailgun;
  let t: TestApp;
  let server: DevServer | undefined;
  let connection: NativeConnection | undefined;
  let clientConnection: Connection | undefined;
  let worker: Worker | undefined;
  let workerDone: Promise<void> | undefined;

  afterAll(async () => {
    if (worker && worker.getState() !== 'STOPPED' && worker.getState() !== 'FAILED') worker.shutdown();
    await workerDone?.catch(() => undefined);
    await connection?.close().catch(() => undefined);
    await clientConnection?.close().catch(() => undefined);
    await t?.close();
    await mailgun?.close();
    await server?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }, 30_000);

  it(
    `${N} reminders, server stopped and restarted: one sent log each, all delivered, duplicates <= in flight`,
    async () => {
      quietTemporalLogs();
      const cliPath = process.env.TEMPORAL_CLI_PATH;
      if (!cliPath)
        throw new Error('TEMPORAL_CLI_PATH is unset: run through Jest (global setup finds the CLI)');
      const [port, uiPort] = [await freePort(), await freePort()];
      const serverOptions = {
        cliPath,
        port,
        uiPort,
        dbFile: path.join(tmp, 'temporal.db'),
        namespace: 'default',
        log: () => undefined,
      };
      mailgun = await startFakeMailgun();
      [server, t] = await Promise.all([
        ensureDevServer(serverOptions),
        createTestApp({
          temporalAddress: `127.0.0.1:${port}`,
          env: e2eAppEnv(mailgun, prefix, taskQueue),
        }),
      ]);
      expect(server.reused).toBe(false);
      const db = t.runtime.db;
      await seed(db, N);

      connection = await NativeConnection.connect({ address: server.address });
      worker = await createWorker({
        connection,
        namespace: 'default',
        taskQueue,
        activities: createWorkerActivities(t.runtime),
        payloadCodec: t.runtime.temporal.payloadCodec,
        workflowBundle: workflowBundle(),
      });
      workerDone = worker.run();
      clientConnection = await Connection.connect({ address: server.address });
      const client = new Client({ connection: clientConnection, dataConverter: testDataConverter() });
      const rarely = '0 0 1 1 *';
      await applySchedules(client, {
        ids,
        taskQueue,
        idPrefix: prefix,
        reminderCheckCron: rarely,
        monthlyReportCron: rarely,
        exchangeRatesCron: rarely,
      });
      const started = Date.now();
      await client.schedule.getHandle(ids.schedule('reminderCheck')).trigger('ALLOW_ALL');

      const deadline = started + RUN_BUDGET_MS;
      const seenKeys = new Set<string>();
      let scanned = 0;
      const delivered = () => {
        const { messages } = mailgun;
        for (; scanned < messages.length; scanned += 1)
          seenKeys.add(messages[scanned].variables.idempotency_key);
        return seenKeys.size;
      };
      await until(() => delivered() >= Math.ceil(0.4 * N), deadline, 'the stop point');
      const atStop = delivered();
      await server.stop();
      const stoppedMs = Date.now();
      await new Promise((resolve) => setTimeout(resolve, 1000));
      server = await ensureDevServer(serverOptions);
      const downMs = Date.now() - stoppedMs;
      expect(server.reused).toBe(false);

      // A line every 30 s: enough to see a stalled run in the CI log without flooding it.
      const progress = setInterval(
        () =>
          console.log(
            `[restart] ${Date.now() - started} ms: ${delivered()} delivered, worker ${worker?.getState()}`,
          ),
        30_000,
      );
      try {
        await until(() => delivered() >= N, deadline, 'all messages');
      } finally {
        clearInterval(progress);
      }
      await until(async () => (await sentLogCount(db)) >= N, deadline, 'all sent logs');
      const wallMs = Date.now() - started;

      const perKey = new Map<string, number>();
      for (const m of mailgun.messages) {
        const key = m.variables.idempotency_key;
        perKey.set(key, (perKey.get(key) ?? 0) + 1);
      }
      const duplicates = [...perKey.values()].reduce((sum, n) => sum + n - 1, 0);
      const sentPerKey = await db.sequelize.query<{ n: number }>(
        "SELECT COUNT(*) AS n FROM reminder_logs WHERE status = 'sent' GROUP BY idempotency_key",
        { type: QueryTypes.SELECT },
      );
      const inFlight = await retriedDeliveries(client, prefix, new Set(perKey.keys()));
      // The fake answers at once, but on a loaded machine an answer can still arrive after the client's 10 s
      // timeout: the message was accepted, the send counted as failed and retried. Such a send is ambiguous by
      // nature (Mailgun keeps no idempotency key); its log row shows the extra attempt.
      const [retriedRow] = await db.sequelize.query<{ n: number }>(
        "SELECT COUNT(*) AS n FROM reminder_logs WHERE status = 'sent' AND attempts > 1",
        { type: QueryTypes.SELECT },
      );
      const retriedSends = Number(retriedRow?.n ?? 0);
      console.log(
        `restart run: ${N} reminders, stopped at ${atStop} delivered, down ${downMs} ms; ` +
          `${sentPerKey.length} keys logged (${sentPerKey.filter((r) => Number(r.n) === 1).length} exactly once), ` +
          `${perKey.size} delivered, ${mailgun.messages.length} accepted, ${duplicates} duplicates, ` +
          `${inFlight} sends in flight, ${retriedSends} sends retried after a lost answer, ` +
          `${(wallMs / 1000).toFixed(1)} s`,
      );
      expect(perKey.size).toBe(N);
      expect(sentPerKey).toHaveLength(N);
      expect(sentPerKey.every((r) => Number(r.n) === 1)).toBe(true);
      expect(duplicates).toBeLessThanOrEqual(inFlight + retriedSends);
    },
    RUN_BUDGET_MS + 60_000,
  );
});

/** Users in UTC reminding at this hour, with monthly plans due tomorrow (offset 1): the instant has passed. */
async function seed(db: Database, n: number): Promise<void> {
  const now = Date.now();
  const tomorrow = addDays(localDate(now, 'UTC'), 1);
  const monthAgo = new Date(now - 30 * 86_400_000);
  const { User, Subscription } = db.models;
  const tag = crypto.randomUUID().slice(0, 6);
  const users = await User.bulkCreate(
    Array.from({ length: Math.ceil(n / SUBS_PER_USER) }, (_, i) => ({
      username: `restart${i}-${tag}`,
      email: `restart${i}-${tag}@example.com`,
      passwordHash: 'x',
      emailVerifiedAt: monthAgo,
      reminderHour: new Date(now).getUTCHours(),
      reminderOffsets: [1],
      welcomeStartedAt: monthAgo,
    })),
  );
  await Subscription.bulkCreate(
    Array.from({ length: n }, (_, i) => ({
      userId: users[Math.floor(i / SUBS_PER_USER)].id,
      name: `Plan ${i}`,
      priceMinor: 999,
      currency: 'USD',
      billingCycle: 'monthly' as const,
      anchorDate: tomorrow,
      nextPaymentDate: tomorrow,
      createdAt: monthAgo,
    })),
  );
  await db.sequelize.query('UPDATE subscriptions SET created_at = :monthAgo', { replacements: { monthAgo } });
}

async function sentLogCount(db: Database): Promise<number> {
  const [row] = await db.sequelize.query<{ n: number }>(
    "SELECT COUNT(DISTINCT idempotency_key) AS n FROM reminder_logs WHERE status = 'sent'",
    { type: QueryTypes.SELECT },
  );
  return Number(row?.n ?? 0);
}

/**
 * Sends in flight at the stop: reminders held by a delivery activity (deliverReminders, one per batch and wake)
 * that needed more than one attempt while the fake answered every request at once, which only a lost completion
 * (server down) explains; its retry sends again whatever the lost attempt had not logged. Read from the
 * histories of every run of this test's reminder batches.
 */
async function retriedDeliveries(client: Client, prefix: string, delivered: Set<string>) {
  const runs = [];
  for await (const run of client.workflow.list({
    query: `WorkflowType = '${WORKFLOW_TYPES.reminderBatch}'`,
  })) {
    if (run.workflowId.startsWith(prefix)) runs.push(run);
  }
  const retried = new Set<string>();
  for (let i = 0; i < runs.length; i += 20) {
    await Promise.all(
      runs.slice(i, i + 20).map(async ({ workflowId, runId }) => {
        const events = (await client.workflow.getHandle(workflowId, runId).fetchHistory()).events ?? [];
        const deliveries = new Map(
          events
            .filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'deliverReminders')
            .map((e) => [String(e.eventId), e.activityTaskScheduledEventAttributes!.input?.payloads]),
        );
        for (const e of events) {
          const started = e.activityTaskStartedEventAttributes;
          if (!started || (started.attempt ?? 1) <= 1) continue;
          const payloads = deliveries.get(String(started.scheduledEventId));
          if (!payloads) continue;
          // History payloads are encrypted: the codec first, then the converter.
          const request = fromPayloadsAtIndex<DeliveryRequest>(
            defaultPayloadConverter,
            0,
            await testPayloadCodec().decode(payloads as Payload[]),
          );
          for (const reminder of request.reminders) retried.add(reminderKeyOf(reminder));
        }
      }),
    );
  }
  return [...retried].filter((key) => delivered.has(key)).length;
}

async function until(condition: () => boolean | Promise<boolean>, deadline: number, what: string) {
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
