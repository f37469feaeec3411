import crypto from 'node:crypto';
import { QueryTypes } from 'sequelize';
import { migrations } from '../../migrations';
import type { Database } from '../../src/db/database';
import { isUniqueViolation } from '../../src/db/errors';
import { createMigrator, migrateDown, migrateUp } from '../../src/db/migrator';
import { withForeignKeysOff } from '../../src/db/sqlite-safe-migration';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

const onMariaDb = Boolean(process.env.DATABASE_URL);
const TABLES = ['users', 'sessions', 'subscriptions', 'payments', 'reminder_logs', 'monthly_reports'];
const lastMigration = migrations[migrations.length - 1]!.name;

let t: TestDatabase;
beforeEach(async () => {
  t = await createTestDatabase();
});
afterEach(() => t?.close());

/** Two users; the first owns two subscriptions, each with a payment and a reminder log. */
async function seedEveryTable({ models }: Database) {
  const suffix = crypto.randomBytes(4).toString('hex');
  const [ann, bob] = await Promise.all(
    ['ann', 'bob'].map((name) =>
      models.User.create({ username: name, email: `${name}-${suffix}@example.com`, passwordHash: 'hash' }),
    ),
  );
  const subscriptions = [];
  for (const name of ['Netflix', 'Gym']) {
    const subscription = await models.Subscription.create({
      userId: ann!.id,
      name,
      priceMinor: 1599,
      currency: 'USD',
      billingCycle: 'monthly',
      anchorDate: '2026-01-15',
      nextPaymentDate: '2026-02-15',
      url: `https://example.com/${name.toLowerCase()}`,
    });
    const dueDate = '2026-01-15';
    await models.Payment.create({ ...paymentOf(subscription), dueDate });
    await models.ReminderLog.create({
      subscriptionId: subscription.id,
      userId: ann!.id,
      dueDate,
      offsetDays: 1,
      idempotencyKey: `rem:${subscription.id}:${dueDate}:1`,
      status: 'sent',
      success: true,
    });
    subscriptions.push(subscription);
  }
  const expiresAt = new Date(Date.now() + 3_600_000);
  await models.Session.create({ userId: ann!.id, refreshJti: crypto.randomUUID(), expiresAt });
  await models.MonthlyReport.create({
    userId: ann!.id,
    month: '2026-01',
    status: 'sent',
    totals: { USD: 3198 },
  });
  return { ann: ann!, bob: bob!, subscriptions };
}

function paymentOf(subscription: { id: number; userId: number; name: string; priceMinor: number }) {
  const { id, userId, name, priceMinor } = subscription;
  return {
    subscriptionId: id,
    userId,
    name,
    amountMinor: priceMinor,
    currency: 'USD',
    dueDate: '2026-01-15',
  };
}

async function countRows(db: Database): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of TABLES) {
    const row = await db.sequelize.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`, {
      type: QueryTypes.SELECT,
      plain: true,
    });
    counts[table] = Number(row?.n);
  }
  return counts;
}

/** Tables, columns, keys and indexes as the database reports them (auto-increment counters left out). */
async function schemaOf(db: Database): Promise<string[]> {
  const { sequelize } = db;
  if (sequelize.getDialect() === 'sqlite') {
    const rows = await sequelize.query<{ sql: string }>(
      "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY name",
      { type: QueryTypes.SELECT },
    );
    return rows.map((r) => r.sql);
  }
  const statements: string[] = [];
  for (const table of TABLES) {
    const [row] = await sequelize.query<Record<string, string>>(`SHOW CREATE TABLE ${table}`, {
      type: QueryTypes.SELECT,
    });
    statements.push(row!['Create Table']!.replace(/ AUTO_INCREMENT=\d+/, ''));
  }
  return statements;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => new Error('expected a rejection'),
    (err: unknown) => err,
  );
}

describe(`migrations on ${onMariaDb ? 'MariaDB' : 'SQLite'}`, () => {
  it('applies every migration, in order, and records them in schema_migrations', async () => {
    const executed = await createMigrator(t.db.sequelize).executed();
    expect(executed.map((m) => m.name)).toEqual(migrations.map((m) => m.name));
  });

  it('reverting and re-applying the table-rebuild migration keeps every row, key and index', async () => {
    const { ann, subscriptions } = await seedEveryTable(t.db);
    const deleted = await t.db.models.Subscription.create({
      ...subscriptions[0]!.get(),
      id: undefined,
      name: 'Gone',
    });
    await deleted.destroy();
    const counts = await countRows(t.db);
    const schema = await schemaOf(t.db);
    expect(Object.values(counts).every((n) => n > 0)).toBe(true);

    expect(await migrateDown(t.db.sequelize)).toEqual([lastMigration]);
    expect(await countRows(t.db)).toEqual(counts);
    expect(await migrateUp(t.db.sequelize)).toEqual([lastMigration]);
    expect(await countRows(t.db)).toEqual(counts);
    expect(await schemaOf(t.db)).toEqual(schema);

    const longUrl = `https://example.com/?q=${'x'.repeat(2000)}`;
    await subscriptions[0]!.update({ url: longUrl });
    expect((await subscriptions[0]!.reload()).url).toBe(longUrl);
    const payments = await t.db.models.Payment.findAll({ where: { userId: ann.id } });
    expect(payments.map((p) => p.subscriptionId).sort()).toEqual(subscriptions.map((s) => s.id).sort());
    // Ids name workflows: a deleted subscription's id must never come back.
    const next = await t.db.models.Subscription.create({
      ...subscriptions[0]!.get(),
      id: undefined,
      name: 'New',
    });
    expect(next.id).toBeGreaterThan(deleted.id);
  });

  (onMariaDb ? it.skip : it)('on SQLite, a rebuild that would leave orphan rows is rolled back', async () => {
    const { ann } = await seedEveryTable(t.db);
    const queryInterface = t.db.sequelize.getQueryInterface();
    const deleteAnn = () => queryInterface.bulkDelete('users', { id: ann.id });
    await expect(withForeignKeysOff(queryInterface, deleteAnn)).rejects.toThrow(/foreign_key_check found/);
    expect(await t.db.models.User.findByPk(ann.id)).not.toBeNull();
    expect(await t.db.sequelize.query('PRAGMA foreign_keys', { plain: true })).toEqual({ foreign_keys: 1 });
  });

  (onMariaDb ? it : it.skip)(
    'on MariaDB, reverting the widening fails rather than truncate a long URL',
    async () => {
      const { subscriptions } = await seedEveryTable(t.db);
      await subscriptions[0]!.update({ url: `https://example.com/?q=${'x'.repeat(300)}` });
      // Revert the migrations that came after the widening first, so it is the one `migrateDown` reverts.
      const widening = migrations.findIndex((m) => m.name === '20261127000100-subscription-url-length');
      const later = migrations[widening + 1];
      if (later) await migrateDown(t.db.sequelize, { to: later.name });
      const schema = await schemaOf(t.db);
      await expect(migrateDown(t.db.sequelize)).rejects.toThrow(/Data truncated for column 'url'/);
      expect(await schemaOf(t.db)).toEqual(schema);
    },
  );

  it('reverts everything down to an empty database and applies it all again', async () => {
    await seedEveryTable(t.db);
    const schema = await schemaOf(t.db);
    expect(await migrateDown(t.db.sequelize, { to: 0 })).toEqual(migrations.map((m) => m.name).reverse());
    const remaining = await t.db.sequelize.getQueryInterface().showAllTables();
    expect(remaining.filter((name) => name !== 'schema_migrations')).toEqual([]);
    expect(await migrateUp(t.db.sequelize)).toEqual(migrations.map((m) => m.name));
    expect(await schemaOf(t.db)).toEqual(schema);
  });

  it('batch delivery: reminders started by per-reminder workflows and not logged are listed again', async () => {
    const { subscriptions } = await seedEveryTable(t.db);
    await migrateDown(t.db.sequelize, { to: '20261203000000-reminder-batches' });
    const [netflix, gym] = subscriptions;
    const started = (subscriptionId: number, dueDate: string) => ({
      subscription_id: subscriptionId,
      idempotency_key: `rem:${subscriptionId}:${dueDate}:1`,
      due_date: dueDate,
      created_at: new Date(),
    });
    // Netflix's 2026-01-15 reminder is logged (seedEveryTable); the two of 2026-02-15 are not.
    await t.db.sequelize
      .getQueryInterface()
      .bulkInsert('reminder_starts', [
        started(netflix!.id, '2026-01-15'),
        started(netflix!.id, '2026-02-15'),
        started(gym!.id, '2026-02-15'),
      ]);
    await migrateUp(t.db.sequelize);
    const keys = await t.db.sequelize.query<{ k: string }>(
      'SELECT idempotency_key AS k FROM reminder_starts ORDER BY id',
      { type: QueryTypes.SELECT },
    );
    expect(keys.map((r) => r.k)).toEqual([`rem:${netflix!.id}:2026-01-15:1`]);
  });

  it('the unique indexes reject duplicates as unique violations', async () => {
    const { models } = t.db;
    const { ann, subscriptions } = await seedEveryTable(t.db);
    const [netflix] = subscriptions;
    const log = (await models.ReminderLog.findOne({ where: { subscriptionId: netflix!.id } }))!;
    const errors = await Promise.all(
      [
        models.User.create({ username: 'ann2', email: ` ${ann.email.toUpperCase()}`, passwordHash: 'hash' }),
        models.Subscription.create({ ...netflix!.get(), id: undefined, name: 'NETFLIX ' }),
        models.ReminderLog.create({ ...log.get(), id: undefined, offsetDays: 2 }),
        models.Payment.create(paymentOf(netflix!)),
        models.MonthlyReport.create({ userId: ann.id, month: '2026-01', status: 'skipped' }),
      ].map(rejection),
    );
    expect(errors.map(isUniqueViolation)).toEqual([true, true, true, true, true]);
  });

  it('deleting a subscription keeps its payments, unlinked, and deletes its reminder logs', async () => {
    const { subscriptions } = await seedEveryTable(t.db);
    const [netflix, gym] = subscriptions;
    await netflix!.destroy();
    const payments = await t.db.models.Payment.findAll({ where: { name: 'Netflix' } });
    expect(payments.map((p) => p.subscriptionId)).toEqual([null]);
    expect(await t.db.models.ReminderLog.count({ where: { subscriptionId: netflix!.id } })).toBe(0);
    expect(await t.db.models.ReminderLog.count({ where: { subscriptionId: gym!.id } })).toBe(1);
  });

  it('deleting a user deletes everything they own and nothing of anyone else', async () => {
    const { ann, bob } = await seedEveryTable(t.db);
    await seedEveryTable(t.db);
    const before = await countRows(t.db);
    await ann.destroy();
    const after = await countRows(t.db);
    expect(after).toEqual({
      users: before.users! - 1,
      sessions: before.sessions! - 1,
      subscriptions: before.subscriptions! - 2,
      payments: before.payments! - 2,
      reminder_logs: before.reminder_logs! - 2,
      monthly_reports: before.monthly_reports! - 1,
    });
    expect(await t.db.models.User.findByPk(bob.id)).not.toBeNull();
  });
});
