import crypto from 'node:crypto';
import { QueryTypes } from 'sequelize';
import { createHousekeepingStore } from '../../src/services/housekeeping-store';
import { createTestApp, type TestApp } from '../helpers/app';
import { createUserWithTokens } from '../helpers/users';

/** The prune step's deletes on the real database (SQLite here, MariaDB in the services pass). */
describe('housekeeping store', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('deletes the started markers of payments due before the cut-off, oldest first, at most the limit', async () => {
    const { user } = await createUserWithTokens(t.runtime);
    const { Subscription } = t.runtime.db.models;
    const sub = await Subscription.create({
      userId: user.id,
      name: 'Netflix',
      priceMinor: 999,
      currency: 'USD',
      billingCycle: 'monthly',
      anchorDate: '2027-01-01',
      nextPaymentDate: '2027-01-01',
    });
    const dueDates = ['2026-10-01', '2026-10-02', '2026-11-24', '2026-11-25', '2026-11-26', '2026-12-01'];
    await t.runtime.db.sequelize.getQueryInterface().bulkInsert(
      'reminder_starts',
      dueDates.map((dueDate) => ({
        subscription_id: sub.id,
        idempotency_key: `rem:${sub.id}:${dueDate}:1`,
        due_date: dueDate,
        created_at: new Date(),
      })),
    );
    const store = createHousekeepingStore(t.runtime.db);
    const left = async () =>
      (
        await t.runtime.db.sequelize.query<{ d: string }>(
          'SELECT due_date AS d FROM reminder_starts WHERE subscription_id = :id ORDER BY due_date',
          { type: QueryTypes.SELECT, replacements: { id: sub.id } },
        )
      ).map((r) => String(r.d).slice(0, 10));

    expect(await store.pruneReminderStarts('2026-11-25', 2)).toBe(2);
    expect(await left()).toEqual(['2026-11-24', '2026-11-25', '2026-11-26', '2026-12-01']);
    expect(await store.pruneReminderStarts('2026-11-25', 2)).toBe(1);
    expect(await store.pruneReminderStarts('2026-11-25', 2)).toBe(0);
    expect(await left()).toEqual(['2026-11-25', '2026-11-26', '2026-12-01']);
  });

  it('deletes the report claims of months before the cut-off, at most the limit, and keeps the later ones', async () => {
    const users = await Promise.all([1, 2].map(() => createUserWithTokens(t.runtime)));
    const months = ['2026-09', '2026-10', '2026-11', '2026-12'];
    await t.runtime.db.sequelize.getQueryInterface().bulkInsert(
      'report_claims',
      users.flatMap(({ user }) =>
        months.map((month) => ({
          user_id: user.id,
          month,
          workflow_id: `reports-${month}`,
          created_at: new Date(),
        })),
      ),
    );
    const store = createHousekeepingStore(t.runtime.db);
    const left = async () =>
      (
        await t.runtime.db.sequelize.query<{ m: string }>(
          'SELECT month AS m FROM report_claims WHERE user_id IN (:ids) ORDER BY month, user_id',
          { type: QueryTypes.SELECT, replacements: { ids: users.map((u) => u.user.id) } },
        )
      ).map((r) => r.m);

    expect(await store.pruneReportClaims('2026-11', 3)).toBe(3);
    expect(await store.pruneReportClaims('2026-11', 3)).toBe(1);
    expect(await store.pruneReportClaims('2026-11', 3)).toBe(0);
    expect(await left()).toEqual(['2026-11', '2026-11', '2026-12', '2026-12']);
  });

  it('deletes sessions expired before the cut-off, revoked or not, and keeps the live ones', async () => {
    const { user } = await createUserWithTokens(t.runtime);
    const { Session } = t.runtime.db.models;
    const now = Date.now();
    const session = (expiresInMs: number, revoked = false) =>
      Session.create({
        userId: user.id,
        refreshJti: crypto.randomUUID(),
        expiresAt: new Date(now + expiresInMs),
        revokedAt: revoked ? new Date(now - 5 * 86_400_000) : null,
      });
    const old = await session(-3 * 86_400_000);
    const oldRevoked = await session(-2 * 86_400_000, true);
    const recent = await session(-3_600_000);
    const live = await session(7 * 86_400_000);
    const store = createHousekeepingStore(t.runtime.db);

    expect(await store.pruneSessions(now - 86_400_000, 1)).toBe(1);
    expect(await Session.findByPk(old.sid)).toBeNull();
    expect(await store.pruneSessions(now - 86_400_000, 10)).toBe(1);
    expect(await Session.findByPk(oldRevoked.sid)).toBeNull();
    expect(await store.pruneSessions(now - 86_400_000, 10)).toBe(0);
    expect(await Session.findByPk(recent.sid)).not.toBeNull();
    expect(await Session.findByPk(live.sid)).not.toBeNull();
  });
});
