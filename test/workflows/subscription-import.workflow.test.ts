import { Context } from '@temporalio/activity';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createImportActivities } from '../../activities/import-activities';
import type { ParsedRow } from '../../src/import/import-record';
import { createAdvanceService } from '../../src/services/advance-service';
import { createImportStore } from '../../src/services/import-store';
import { createIds, type SubscriptionImportResult } from '../../src/temporal/contract';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { createWorker } from '../../src/temporal/worker';
import { testPayloadCodec } from '../helpers/payload-keys';
import {
  startTimeSkipping,
  startWorker,
  uniquePrefix,
  uniqueTaskQueue,
  workflowBundle,
} from '../helpers/temporal';

/** A row of the seed's shape: `n` names it; `bad` gives it an unreadable price. */
const seedRow = (n: number, bad = false): ParsedRow => ({
  row: n,
  record: {
    name: `Plan ${n}`,
    price: bad ? 'free' : `${n}.50`,
    billing_cycle: 'monthly',
    next_payment_date: '2027-03-10',
  },
});

/** 23 rows: rows 5 and 17 invalid, row 20 the same as row 2 (a duplicate within the file). */
const FILE: ParsedRow[] = Array.from({ length: 23 }, (_, i) => {
  const n = i + 1;
  if (n === 20) return { ...seedRow(2), row: 20 };
  return seedRow(n, n === 5 || n === 17);
});

describe('subscriptionImportWorkflow (time skipping, real activities on the test database)', () => {
  const ids = createIds(uniquePrefix('import-wf'));
  let env: TestWorkflowEnvironment;
  let t: TestDatabase;
  let store: ReturnType<typeof createImportStore>;

  beforeAll(async () => {
    t = await createTestDatabase();
    env = await startTimeSkipping();
    const now = () => Date.now();
    store = createImportStore({
      db: t.db,
      now,
      advance: createAdvanceService({ db: t.db, now }),
      maxPerUser: 500,
    });
  });
  afterAll(async () => {
    await env?.teardown();
    await t?.close();
  });

  async function newImport(rows: ParsedRow[]) {
    const { User, SubscriptionImport } = t.db.models;
    const tag = Math.random().toString(36).slice(2, 8);
    const user = await User.create({ username: `u${tag}`, email: `u${tag}@example.com`, passwordHash: 'x' });
    const row = await SubscriptionImport.create({
      userId: user.id,
      format: 'seed-json',
      status: 'pending',
      rows,
      totalRows: rows.length,
      errors: [],
    });
    return { userId: user.id, importId: row.id };
  }

  const counts = async (userId: number) => ({
    subscriptions: await t.db.models.Subscription.count({ where: { userId } }),
    keys: await t.db.models.ImportKey.count({ where: { userId } }),
  });

  it('survives a worker stopped mid-page: a new worker finishes it and every count is exact', async () => {
    const taskQueue = uniqueTaskQueue('import-wf');
    const { userId, importId } = await newImport(FILE);
    let stopAt: () => void = () => undefined;
    const reached = new Promise<void>((resolve) => (stopAt = resolve));
    // Worker 1 stops inside page 3 (rows 11-15), after creating rows 11 and 12 but before saving the page. It
    // caches no workflow: the test server never moves a task off a stopped worker's sticky queue, as a real one does.
    const first = await createWorker({
      connection: env.nativeConnection,
      namespace: env.namespace ?? 'default',
      taskQueue,
      payloadCodec: testPayloadCodec(),
      workflowBundle: workflowBundle(),
      maxCachedWorkflows: 0,
      activities: createImportActivities({
        imports: store,
        afterRow: async (row) => {
          if (row !== 12) return;
          stopAt();
          await Context.current().cancelled;
        },
      }),
    });
    const firstRun = first.run();
    const handle = await env.client.workflow.start('subscriptionImportWorkflow', {
      taskQueue,
      workflowId: ids.subscriptionImport(importId),
      args: [{ importId, pageSize: 5 }],
    });
    await reached;
    const saved = await t.db.models.SubscriptionImport.findByPk(importId);
    expect(saved!.nextRow).toBe(10);
    // Rows 1-12 less invalid row 5: 11 subscriptions exist, the saved counts know of 9.
    expect(saved!.created).toBe(9);
    expect(await counts(userId)).toEqual({ subscriptions: 11, keys: 11 });
    first.shutdown();
    await firstRun;

    const second = await startWorker(env, taskQueue, createImportActivities({ imports: store }));
    const result = await second.runUntil(handle.result() as Promise<SubscriptionImportResult>);

    expect(result).toEqual({ status: 'completed', created: 20, duplicates: 1, errors: 2 });
    expect(await counts(userId)).toEqual({ subscriptions: 20, keys: 20 });
    const report = await t.db.models.SubscriptionImport.findByPk(importId);
    expect(report).toMatchObject({ status: 'completed', nextRow: 23, created: 20, duplicates: 1 });
    expect(report!.errors).toEqual([
      { row: 5, field: 'price', message: expect.any(String) },
      { row: 17, field: 'price', message: expect.any(String) },
    ]);
    expect(report!.finishedAt).toBeInstanceOf(Date);
  });

  it('imports the same rows again as duplicates only, and ends at once for an import that is gone', async () => {
    const taskQueue = uniqueTaskQueue('import-wf');
    const worker = await startWorker(env, taskQueue, createImportActivities({ imports: store }));
    const rows = FILE.slice(0, 6);
    const once = await newImport(rows);
    const run = (importId: number) =>
      env.client.workflow.execute('subscriptionImportWorkflow', {
        taskQueue,
        workflowId: ids.subscriptionImport(importId),
        args: [{ importId, pageSize: 4 }],
      }) as Promise<SubscriptionImportResult>;

    await worker.runUntil(async () => {
      expect(await run(once.importId)).toEqual({ status: 'completed', created: 5, duplicates: 0, errors: 1 });
      const again = await t.db.models.SubscriptionImport.create({
        userId: once.userId,
        format: 'seed-json',
        status: 'pending',
        rows,
        totalRows: rows.length,
        errors: [],
      });
      expect(await run(again.id)).toEqual({ status: 'completed', created: 0, duplicates: 5, errors: 1 });
      expect(await counts(once.userId)).toEqual({ subscriptions: 5, keys: 5 });
      expect(await run(999_999)).toEqual({ status: 'missing', created: 0, duplicates: 0, errors: 0 });
    });
  });

  it('ends as failed with its report when a page keeps failing, keeping what it created', async () => {
    const taskQueue = uniqueTaskQueue('import-wf');
    const { userId, importId } = await newImport(FILE.slice(0, 8));
    const worker = await startWorker(
      env,
      taskQueue,
      createImportActivities({
        imports: store,
        afterRow: async (row) => {
          if (row === 6) throw new Error('disk on fire');
        },
      }),
    );
    const result = await worker.runUntil(
      env.client.workflow.execute('subscriptionImportWorkflow', {
        taskQueue,
        workflowId: ids.subscriptionImport(importId),
        args: [{ importId, pageSize: 4 }],
      }) as Promise<SubscriptionImportResult>,
    );
    // Page 1 (rows 1-4) was saved; row 6 of page 2 was created (once, whatever the attempts) before the failure.
    expect(result).toEqual({ status: 'failed', created: 5, duplicates: 0, errors: 0 });
    const report = await t.db.models.SubscriptionImport.findByPk(importId);
    expect(report).toMatchObject({ status: 'failed', nextRow: 4, created: 5, failure: 'disk on fire' });
    expect(await counts(userId)).toEqual({ subscriptions: 5, keys: 5 });
  });
});
