import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import request from 'supertest';
import { createIds } from '../../src/temporal/contract';
import { ensureDevServer, type DevServer } from '../../src/temporal/dev-server';
import { applySchedules } from '../../src/temporal/schedules';
import { createWorker } from '../../src/temporal/worker';
import { createWorkerActivities } from '../../src/worker-activities';
import { createTestApp, type TestApp } from '../helpers/app';
import { e2eAppEnv } from '../helpers/e2e-harness';
import { startFakeMailgun, type FakeMailgun } from '../helpers/fake-mailgun';
import { testDataConverter } from '../helpers/payload-keys';
import { freePort } from '../helpers/private-services';
import { quietTemporalLogs, uniquePrefix, uniqueTaskQueue, workflowBundle } from '../helpers/temporal';

/**
 * Temporal down: registration still answers 201 (the welcome start is skipped), and once a dev server is up on
 * the app's address the next reminder check starts the missing welcome: exactly one message arrives.
 */
describe('outage: Temporal down at registration', () => {
  const prefix = uniquePrefix('e2e-tdown');
  const taskQueue = uniqueTaskQueue('e2e-tdown');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'st-tdown-'));
  let port: number;
  let mailgun: FakeMailgun;
  let t: TestApp;
  let server: DevServer | undefined;
  let connection: NativeConnection | undefined;
  let clientConnection: Connection | undefined;
  let worker: Worker | undefined;
  let workerDone: Promise<void> | undefined;

  beforeAll(async () => {
    quietTemporalLogs();
    [port, mailgun] = await Promise.all([freePort(), startFakeMailgun()]);
    t = await createTestApp({
      temporalAddress: `127.0.0.1:${port}`,
      env: e2eAppEnv(mailgun, prefix, taskQueue),
    });
  });

  afterAll(async () => {
    worker?.shutdown();
    await workerDone?.catch(() => undefined);
    await connection?.close().catch(() => undefined);
    await clientConnection?.close().catch(() => undefined);
    await t?.close();
    await mailgun?.close();
    await server?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }, 30_000);

  it('registers with 201 while Temporal is down; the next reminder check sends exactly one welcome', async () => {
    const started = Date.now();
    const res = await request(t.app)
      .post('/register')
      .send({ username: 'tdown', email: 'Tdown@Example.com', password: 'Correct-horse-battery-9' });
    expect(res.status).toBe(201);
    expect(Date.now() - started).toBeLessThan(5000);
    const { User } = t.runtime.db.models;
    const user = await User.findOne({ where: { username: 'tdown' } });
    expect(user?.welcomeStartedAt ?? null).toBeNull();
    expect((await request(t.app).get('/readyz')).body.checks).toMatchObject({ temporal: 'down' });

    const cliPath = process.env.TEMPORAL_CLI_PATH;
    if (!cliPath)
      throw new Error('TEMPORAL_CLI_PATH is unset: run through Jest (global setup finds the CLI)');
    server = await ensureDevServer({
      cliPath,
      port,
      uiPort: await freePort(),
      dbFile: path.join(tmp, 'temporal.db'),
      namespace: 'default',
      log: () => undefined,
    });
    expect(server.reused).toBe(false);
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
    const ids = createIds(prefix);
    const rarely = '0 0 1 1 *';
    await applySchedules(client, {
      ids,
      taskQueue,
      idPrefix: prefix,
      reminderCheckCron: rarely,
      monthlyReportCron: rarely,
      exchangeRatesCron: rarely,
    });
    await client.schedule.getHandle(ids.schedule('reminderCheck')).trigger();

    const [message] = await mailgun.waitForMessages(1, 30_000);
    expect(message.to).toBe('Tdown@Example.com');
    expect(message.subject).toMatch(/welcome/i);
    expect(message.variables.idempotency_key).toBe(`welcome:${user!.id}`);
    await expect(client.workflow.getHandle(ids.welcome(user!.id)).result()).resolves.toMatchObject({
      outcome: 'sent',
    });
    await user!.reload();
    expect(user!.welcomeStartedAt).toBeInstanceOf(Date);
    // The app's own lazy client reconnected too.
    expect((await request(t.app).get('/readyz')).body.checks).toMatchObject({ temporal: 'ok' });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(mailgun.messages).toHaveLength(1);
  }, 80_000);
});
