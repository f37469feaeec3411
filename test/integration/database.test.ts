import crypto from 'node:crypto';
import { ConnectionAcquireTimeoutError, DatabaseError, TimeoutError, UniqueConstraintError } from 'sequelize';
import { isDatabaseUnavailable, isUniqueViolation } from '../../src/db/errors';
import { normaliseKey } from '../../src/db/normalise-key';
import { createSequelize } from '../../src/db/sequelize';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

const onSqlite = !process.env.DATABASE_URL;
const sqliteOnly = onSqlite ? it : it.skip;

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t?.close());

const unique = () => crypto.randomBytes(4).toString('hex');

function createUser(email = `u-${unique()}@example.com`) {
  return t.db.models.User.create({ username: 'someone', email, passwordHash: 'hash' });
}

function createSubscription(userId: number, overrides: Partial<{ name: string; priceMinor: number }> = {}) {
  return t.db.models.Subscription.create({
    userId,
    name: `Plan ${unique()}`,
    priceMinor: 999,
    currency: 'USD',
    billingCycle: 'monthly',
    anchorDate: '2026-01-31',
    nextPaymentDate: '2026-02-28',
    ...overrides,
  });
}

describe(`database on ${onSqlite ? 'SQLite' : 'MariaDB'}`, () => {
  sqliteOnly(
    'every SQLite connection, including a transaction’s own, runs WAL, foreign keys and a busy timeout',
    async () => {
      const { sequelize } = t.db;
      const pragmas = async (options = {}) => {
        const read = async (name: string) =>
          Object.values((await sequelize.query(`PRAGMA ${name}`, { ...options, plain: true })) ?? {})[0];
        return {
          journalMode: await read('journal_mode'),
          foreignKeys: await read('foreign_keys'),
          busyTimeout: await read('busy_timeout'),
          synchronous: await read('synchronous'),
        };
      };
      const expected = { journalMode: 'wal', foreignKeys: 1, busyTimeout: 5000, synchronous: 1 };
      expect(await pragmas()).toEqual(expected);
      expect(await sequelize.transaction((transaction) => pragmas({ transaction }))).toEqual(expected);
    },
  );

  sqliteOnly(
    'concurrent read-then-write transactions and autocommit writes queue instead of failing or stalling',
    async () => {
      const user = await createUser();
      const increment = () =>
        t.db.sequelize.transaction(async (transaction) => {
          const current = await t.db.models.User.findByPk(user.id, { transaction, rejectOnEmpty: true });
          await current.update({ reminderHour: current.reminderHour + 1 }, { transaction });
        });
      const started = Date.now();
      await Promise.all([
        ...Array.from({ length: 8 }, increment),
        ...Array.from({ length: 8 }, () => createSubscription(user.id)),
      ]);
      expect(Date.now() - started).toBeLessThan(2000);
      expect((await user.reload()).reminderHour).toBe(9 + 8);
      expect(await t.db.models.Subscription.count({ where: { userId: user.id } })).toBe(8);
    },
  );

  it('reads the largest allowed price back as a number', async () => {
    const user = await createUser();
    const { id } = await createSubscription(user.id, { priceMinor: 9_999_999_999 });
    const subscription = await t.db.models.Subscription.findByPk(id, { rejectOnEmpty: true });
    expect(subscription.priceMinor).toBe(9_999_999_999);
    const payment = await t.db.models.Payment.create({
      subscriptionId: id,
      userId: user.id,
      name: subscription.name,
      dueDate: '2026-02-28',
      amountMinor: 9_999_999_999,
      currency: 'USD',
    });
    await payment.reload();
    expect(payment.amountMinor).toBe(9_999_999_999);
  });

  it('keeps dates as YYYY-MM-DD strings, flags as booleans and the documented user defaults', async () => {
    const { id } = await createUser();
    const user = await t.db.models.User.findByPk(id, { rejectOnEmpty: true });
    expect(user).toMatchObject({
      role: 'user',
      timezone: 'UTC',
      reminderHour: 9,
      reminderOffsets: [7, 1],
      currency: 'USD',
      monthlyReport: true,
      remindersEnabled: true,
      emailVerifiedAt: null,
    });
    const subscription = await t.db.models.Subscription.findByPk((await createSubscription(id)).id, {
      rejectOnEmpty: true,
    });
    expect(subscription).toMatchObject({
      nextPaymentDate: '2026-02-28',
      status: 'active',
      billingInterval: 1,
    });
  });

  it.each([
    ['no reminders', []],
    ['inherit the user’s offsets', null],
    ['its own offsets', [7, 1]],
  ])('round-trips a subscription’s reminder offsets: %s', async (_, offsets) => {
    const user = await createUser();
    const { id } = await createSubscription(user.id);
    await t.db.models.Subscription.update({ reminderOffsets: offsets }, { where: { id } });
    const stored = await t.db.models.Subscription.findByPk(id, { rejectOnEmpty: true });
    expect(stored.reminderOffsets).toEqual(offsets);
  });

  it('normalises keys by trimming, composing and lower-casing, but keeps accents', () => {
    expect(normaliseKey('  Café ')).toBe(normaliseKey('café'));
    expect(normaliseKey('cafe\u0301')).toBe(normaliseKey('café'));
    expect(normaliseKey('Cafe')).not.toBe(normaliseKey('café'));
  });

  it('treats emails differing only in case and spaces as one, and Cafe and Café as two names', async () => {
    const email = `Ann.${unique()}@Example.com`;
    await createUser(email);
    const duplicate = await createUser(`  ${email.toLowerCase()} `).catch((err: unknown) => err);
    expect(isUniqueViolation(duplicate)).toBe(true);

    const user = await createUser();
    await createSubscription(user.id, { name: 'Cafe' });
    await expect(createSubscription(user.id, { name: 'Café' })).resolves.toBeDefined();
    const again = await createSubscription(user.id, { name: ' CAFÉ' }).catch((err: unknown) => err);
    expect(isUniqueViolation(again)).toBe(true);
  });

  it('reports an unreachable MariaDB as unavailable within two seconds', async () => {
    const sequelize = createSequelize({
      url: 'mysql://subtracker:subtracker@127.0.0.1:1/subtracker_test',
      sqlitePath: '',
      poolMax: 1,
    });
    const started = Date.now();
    const err = await sequelize.authenticate().catch((e: unknown) => e);
    await sequelize.close();
    expect(isDatabaseUnavailable(err)).toBe(true);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('classifies lock timeouts as unavailable and constraint errors as conflicts, not the other way round', () => {
    const busy = new TimeoutError(Object.assign(new Error('SQLITE_BUSY: database is locked'), { sql: '' }));
    const locked = new DatabaseError(Object.assign(new Error('locked'), { code: 'SQLITE_LOCKED', sql: '' }));
    const duplicate = new UniqueConstraintError({ message: 'dup' });
    expect(
      [busy, locked, new ConnectionAcquireTimeoutError(new Error('pool'))].map(isDatabaseUnavailable),
    ).toEqual([true, true, true]);
    expect(isDatabaseUnavailable(duplicate)).toBe(false);
    expect(isUniqueViolation(duplicate)).toBe(true);
    expect([new Error('x'), null, 'x'].map(isDatabaseUnavailable)).toEqual([false, false, false]);
  });
});
