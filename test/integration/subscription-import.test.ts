import fs from 'node:fs';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import request from 'supertest';
import { createWorkerActivities } from '../../src/worker-activities';
import { createTestApp, type TestApp } from '../helpers/app';
import { createSubscription } from '../helpers/subscriptions';
import {
  startDevServer,
  startWorkers,
  uniquePrefix,
  uniqueTaskQueue,
  type WorkerGroup,
} from '../helpers/temporal';
import { createUserWithTokens } from '../helpers/users';

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, '../fixtures/imports', name), 'utf8');
type Auth = Record<string, string>;
type Report = {
  status: string;
  created: number;
  duplicates: number;
  errors: { row: number; field: string }[];
};

/** A subscription as GET /subscriptions shows it, without what belongs to the account or the moment it was made. */
const portable = (sub: Record<string, unknown>) => {
  const fields = { ...sub };
  for (const key of ['id', 'user_id', 'created_at', 'updated_at']) delete fields[key];
  return fields;
};

describe('POST /subscriptions/import and GET /imports/{id} (Temporal dev server, real worker)', () => {
  let env: TestWorkflowEnvironment;
  let t: TestApp;
  let worker: WorkerGroup;
  let running: Promise<void>;

  beforeAll(async () => {
    env = await startDevServer();
    const taskQueue = uniqueTaskQueue('import');
    t = await createTestApp({
      temporalAddress: env.address,
      env: {
        TEMPORAL_TASK_QUEUE: taskQueue,
        TEMPORAL_ID_PREFIX: uniquePrefix('import'),
        IMPORT_MAX_ROWS: '30',
        IMPORT_MAX_BYTES: '20kb',
      },
    });
    worker = await startWorkers(env, taskQueue, createWorkerActivities(t.runtime));
    running = worker.run();
  });
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await t?.close();
    await env?.teardown();
  });

  /** Posts a file and waits for its workflow; answers the report. */
  async function importFile(auth: Auth, body: string, type = 'application/json'): Promise<Report> {
    const res = await request(t.app)
      .post('/subscriptions/import')
      .set(auth)
      .set('Content-Type', type)
      .send(body);
    expect(res.status).toBe(202);
    expect(res.headers.location).toBe(`/imports/${res.body.import_id}`);
    await env.client.workflow.getHandle(res.body.workflow_id as string).result();
    const report = await request(t.app).get(`/imports/${res.body.import_id}`).set(auth);
    expect(report.status).toBe(200);
    return report.body as Report;
  }

  const listOf = async (auth: Auth) =>
    ((await request(t.app).get('/subscriptions?sort=name').set(auth)).body as Record<string, unknown>[]).map(
      portable,
    );

  /** The 31st of a month 4 to 6 months ago: a monthly plan anchored there keeps to month ends. */
  function pastMonthEnd(): string {
    const now = new Date();
    for (let back = 4; ; back += 1) {
      const end = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back + 1, 0));
      if (end.getUTCDate() === 31) return end.toISOString().slice(0, 10);
    }
  }

  /** An owner with subscriptions that use every field, one of them anchored in the past on a month end. */
  async function ownerWithSubscriptions() {
    const owner = await createUserWithTokens(t.runtime);
    await createSubscription(t.app, owner.auth, {
      name: 'Anchored, "month end"',
      next_payment_date: pastMonthEnd(),
      notes: 'line one\nline two, with a comma',
      reminder_offsets: [],
      url: 'https://example.com/a?b=c',
      currency: 'EUR',
    });
    await createSubscription(t.app, owner.auth, {
      category: null,
      reminder_offsets: [3, 1],
      next_payment_date: '2027-01-31',
    });
    await createSubscription(t.app, owner.auth, {
      billing_cycle: 'weekly',
      billing_interval: 2,
      status: 'paused',
      next_payment_date: '2027-02-03',
    });
    await createSubscription(t.app, owner.auth, {
      billing_cycle: 'yearly',
      status: 'cancelled',
      notes: null,
    });
    return owner;
  }

  it.each([
    ['json', 'application/json'],
    ['csv', 'text/csv'],
  ])(
    'round trip as %s: the export imported by another user gives equal subscriptions; again, it creates none',
    async (format, type) => {
      const source = await ownerWithSubscriptions();
      const exported = await request(t.app).get(`/subscriptions/export?format=${format}`).set(source.auth);
      const target = await createUserWithTokens(t.runtime);

      const first = await importFile(target.auth, exported.text, type);
      expect(first).toMatchObject({ status: 'completed', created: 4, duplicates: 0, errors: [] });
      const imported = await listOf(target.auth);
      expect(imported).toEqual(await listOf(source.auth));
      expect(imported.find((s) => s.name === 'Anchored, "month end"')!.anchor_date).not.toBe(
        imported.find((s) => s.name === 'Anchored, "month end"')!.next_payment_date,
      );

      const again = await importFile(target.auth, exported.text, type);
      expect(again).toMatchObject({ status: 'completed', created: 0, duplicates: 4, errors: [] });
      expect(await listOf(target.auth)).toHaveLength(4);
    },
  );

  it('reports each bad row with its number and field, and creates the good ones', async () => {
    const owner = await createUserWithTokens(t.runtime);
    const report = await importFile(owner.auth, fixture('subtracker.json'));
    expect(report.status).toBe('completed');
    expect(report.created).toBe(2);
    expect(report.duplicates).toBe(0);
    expect([...new Set(report.errors.map((e) => e.row))]).toEqual([3, 4, 5]);
    expect(report.errors).toContainEqual({ row: 4, field: 'price', message: expect.any(String) });
    expect(report.errors).toContainEqual({ row: 5, field: 'anchor_date', message: expect.any(String) });
  });

  it('imports the seed’s JSON and Wallos’s export, and a name already taken is an error on that row', async () => {
    const owner = await createUserWithTokens(t.runtime);
    await createSubscription(t.app, owner.auth, { name: 'SPOTIFY' });
    const seed = await importFile(owner.auth, fixture('seed.json'));
    expect(seed).toMatchObject({ status: 'completed', created: 1, duplicates: 0 });
    expect(seed.errors.map((e) => [e.row, e.field])).toEqual([
      [1, 'name'],
      [3, 'price'],
      [3, 'billing_cycle'],
      [3, 'next_payment_date'],
      [4, 'row'],
    ]);
    const wallos = await importFile(owner.auth, fixture('wallos.json'));
    expect(wallos).toMatchObject({ status: 'completed', created: 3, duplicates: 0 });
    const domain = (await listOf(owner.auth)).find((s) => s.name === 'Domain');
    expect(domain).toMatchObject({
      price: '24.00',
      currency: 'USD',
      billing_cycle: 'yearly',
      billing_interval: 2,
    });
    expect(domain).toMatchObject({ status: 'cancelled', reminder_offsets: [], category: null });
  });

  it('answers 413 over IMPORT_MAX_BYTES, 422 over IMPORT_MAX_ROWS or for an unknown format, and stores nothing', async () => {
    const owner = await createUserWithTokens(t.runtime);
    const post = (body: unknown) =>
      request(t.app)
        .post('/subscriptions/import')
        .set(owner.auth)
        .send(body as object);
    const row = { name: 'x', price: '1.00', billing_cycle: 'monthly', next_payment_date: '2027-01-01' };

    const big = await post([{ ...row, notes: 'n'.repeat(21 * 1024) }]);
    expect(big.status).toBe(413);
    expect(big.body).toMatchObject({
      code: 413,
      error: 'import_too_large',
      message: expect.stringMatching(/20kb/),
    });

    const many = await post(Array.from({ length: 31 }, (_, i) => ({ ...row, name: `n${i}` })));
    expect(many.status).toBe(422);
    expect(many.body).toMatchObject({
      error: 'import_too_many_rows',
      message: expect.stringMatching(/31 rows.*30/),
    });

    const unknown = await post({ hello: 'world' });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error).toBe('import_format_unknown');

    const csv = await request(t.app)
      .post('/subscriptions/import')
      .set(owner.auth)
      .set('Content-Type', 'text/csv')
      .send('name,price,billing_cycle,next_payment_date\n"open,1,monthly,2027-01-01\n');
    expect(csv.status).toBe(422);
    expect(csv.body.error).toBe('import_malformed');

    expect(await t.runtime.db.models.SubscriptionImport.count({ where: { userId: owner.user.id } })).toBe(0);
  });

  it('needs a write token: a read token gets 403 and may still read a report; the report is the owner’s only', async () => {
    const owner = await createUserWithTokens(t.runtime);
    const mint = async (scopes: string[]) =>
      (
        await request(t.app)
          .post('/users/me/tokens')
          .set(owner.auth)
          .send({ name: scopes.join('+'), scopes })
      ).body.token as string;
    const read = { Authorization: `Bearer ${await mint(['read'])}` };
    const write = { Authorization: `Bearer ${await mint(['read', 'write'])}` };
    const body = fixture('seed.json');

    const refused = await request(t.app).post('/subscriptions/import').set(read).type('json').send(body);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toBe('insufficient_scope');

    const accepted = await request(t.app).post('/subscriptions/import').set(write).type('json').send(body);
    expect(accepted.status).toBe(202);
    expect((await request(t.app).get(`/imports/${accepted.body.import_id}`).set(read)).status).toBe(200);
    const stranger = await createUserWithTokens(t.runtime);
    const hidden = await request(t.app).get(`/imports/${accepted.body.import_id}`).set(stranger.auth);
    expect(hidden.status).toBe(404);
    expect(hidden.body.error).toBe('import_not_found');
    await env.client.workflow.getHandle(accepted.body.workflow_id as string).result();
  });
});

describe('POST /subscriptions/import with Temporal down', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('answers 503 and keeps nothing, so the same file can simply be sent again', async () => {
    const owner = await createUserWithTokens(t.runtime);
    const res = await request(t.app)
      .post('/subscriptions/import')
      .set(owner.auth)
      .type('json')
      .send(fixture('seed.json'));
    expect(res.status).toBe(503);
    expect(res.body.error).toBe('service_unavailable');
    expect(await t.runtime.db.models.SubscriptionImport.count({ where: { userId: owner.user.id } })).toBe(0);
  });
});
