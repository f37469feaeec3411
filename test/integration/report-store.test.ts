import { createReportSpending, createReportStore } from '../../src/services/report-store';
import {
  createClockedTestApp,
  createOwner,
  createSubscription,
  type ClockedTestApp,
} from '../helpers/subscriptions';
import { createUserWithTokens } from '../helpers/users';

/** The report's Sequelize ports against a real database (SQLite, or MariaDB with DATABASE_URL). */
describe('report store', () => {
  let t: ClockedTestApp;
  let store: ReturnType<typeof createReportStore>;
  beforeAll(async () => {
    t = await createClockedTestApp('2026-12-15T12:00:00Z');
    store = createReportStore(t.runtime.db);
  });
  afterAll(() => t.close());

  it('lists the charges the stats service sums: ledger, ledger and projection, projection', async () => {
    const { user, auth } = await createOwner(t);
    // Created on Dec 15 with past dates: the ledger gets Nov 10, Dec 10 and the weekly Fridays up to today.
    await createSubscription(t.app, auth, {
      name: 'Paper',
      price: '10.00',
      billing_cycle: 'monthly',
      next_payment_date: '2026-11-10',
    });
    await createSubscription(t.app, auth, {
      name: 'Box',
      price: '3.00',
      currency: 'EUR',
      billing_cycle: 'weekly',
      next_payment_date: '2026-12-04',
    });
    const spending = createReportSpending(t.services);
    const now = t.now();

    const november = await store.chargesOf(user.id, '2026-11', now);
    expect(november.map((c) => [c.dueDate, c.name, c.amountMinor, c.currency])).toEqual([
      ['2026-11-10', 'Paper', 1_000, 'USD'],
    ]);
    const december = await store.chargesOf(user.id, '2026-12', now);
    expect(december.map((c) => c.dueDate)).toEqual([
      '2026-12-04',
      '2026-12-10',
      '2026-12-11',
      '2026-12-18',
      '2026-12-25',
    ]);
    const january = await store.chargesOf(user.id, '2027-01', now);
    expect(january.map((c) => c.dueDate)).toEqual([
      '2027-01-01',
      '2027-01-08',
      '2027-01-10',
      '2027-01-15',
      '2027-01-22',
      '2027-01-29',
    ]);

    for (const [month, charges] of [
      ['2026-11', november],
      ['2026-12', december],
      ['2027-01', january],
    ] as const) {
      const { byCurrency } = await spending.summary(user.id, month);
      const summed: Record<string, number> = {};
      for (const c of charges) summed[c.currency] = (summed[c.currency] ?? 0) + c.amountMinor;
      expect(
        Object.fromEntries(
          Object.entries(byCurrency)
            .filter(([, v]) => v.chargesCount > 0)
            .map(([k, v]) => [k, v.totalMinor]),
        ),
      ).toEqual(summed);
    }
  });

  it('lists verified users with reports on, in id order, after the cursor', async () => {
    const wanted = await createUserWithTokens(t.runtime);
    const unverified = await createUserWithTokens(t.runtime, { verified: false });
    const optedOut = await createUserWithTokens(t.runtime);
    await optedOut.user.update({ monthlyReport: false });
    const later = await createUserWithTokens(t.runtime);

    await later.user.update({ timezone: 'Asia/Tokyo', reminderHour: 7 });

    const listed = await store.listRecipients(wanted.user.id - 1, 100);
    const ids = listed.map((r) => r.id);
    expect(ids).toEqual([wanted.user.id, later.user.id]);
    expect(ids).not.toContain(unverified.user.id);
    expect(await store.listRecipients(wanted.user.id, 1)).toEqual([
      { id: later.user.id, timezone: 'Asia/Tokyo', reminderHour: 7 },
    ]);
    expect(listed[0]).toEqual({
      id: wanted.user.id,
      timezone: wanted.user.timezone,
      reminderHour: wanted.user.reminderHour,
    });
  });

  it('writes one row per user and month: a repeat changes nothing, only a failed row is replaced', async () => {
    const { user } = await createUserWithTokens(t.runtime);
    const totals = {
      currency: 'USD',
      byCurrency: { USD: { totalMinor: 500, byCategory: { video: 500 }, chargesCount: 1 } },
    };

    expect(await store.recordReport({ userId: user.id, month: '2026-11', status: 'failed', totals })).toBe(
      'created',
    );
    expect(await store.findReport(user.id, '2026-11')).toBe('failed');
    const sent = {
      userId: user.id,
      month: '2026-11',
      status: 'sent' as const,
      totals,
      providerMessageId: '<m1>',
      sentAtMs: t.now(),
    };
    expect(await store.recordReport(sent)).toBe('updated');
    expect(await store.recordReport({ ...sent, status: 'failed' })).toBe('exists');
    expect(await store.recordReport({ ...sent, status: 'skipped' })).toBe('exists');

    const rows = await t.runtime.db.models.MonthlyReport.findAll({ where: { userId: user.id } });
    expect(rows.map((r) => [r.month, r.status, r.providerMessageId, r.totals])).toEqual([
      ['2026-11', 'sent', '<m1>', totals],
    ]);
    expect(rows[0].sentAt?.getTime()).toBe(t.now());
    expect(await store.findReport(user.id, '2026-10')).toBeNull();
  });

  it('answers deleted for a user who is gone', async () => {
    const { user } = await createUserWithTokens(t.runtime);
    await user.destroy();
    const totals = { currency: 'USD', byCurrency: {} };
    expect(await store.recordReport({ userId: user.id, month: '2026-11', status: 'skipped', totals })).toBe(
      'deleted',
    );
    expect(await store.findUser(user.id)).toBeNull();
  });

  it('claims: the first batch to claim a report of a month holds it for good; another gets only the rest', async () => {
    const [ann, bob, cat] = await Promise.all([1, 2, 3].map(() => createUserWithTokens(t.runtime)));
    const gone = await createUserWithTokens(t.runtime);
    await gone.user.destroy();
    const ids = [ann, bob, cat].map((o) => o.user.id);

    expect(await store.claim([ids[0], ids[1]], '2026-11', 'reports-a')).toEqual(new Set([ids[0], ids[1]]));
    // A retry of the same batch keeps its own; another batch gets only what nobody held; a deleted user none.
    expect(await store.claim([ids[0], ids[1]], '2026-11', 'reports-a')).toEqual(new Set([ids[0], ids[1]]));
    expect(await store.claim([...ids, gone.user.id], '2026-11', 'reports-b')).toEqual(new Set([ids[2]]));
    // Another month is another claim.
    expect(await store.claim([ids[0]], '2026-12', 'reports-b')).toEqual(new Set([ids[0]]));
  });

  it('records many rows at once: a row per user and month, only a failed one replaced, a deleted user dropped', async () => {
    const [ann, bob, cat] = await Promise.all([1, 2, 3].map(() => createUserWithTokens(t.runtime)));
    const gone = await createUserWithTokens(t.runtime);
    await gone.user.destroy();
    const totals = { currency: 'USD', byCurrency: {} };
    const month = '2026-10';
    await store.recordReport({ userId: ann.user.id, month, status: 'failed', totals });
    await store.recordReport({
      userId: bob.user.id,
      month,
      status: 'sent',
      totals,
      providerMessageId: '<b>',
    });

    await store.recordReports([
      { userId: ann.user.id, month, status: 'sent', totals, providerMessageId: '<a2>', sentAtMs: t.now() },
      { userId: bob.user.id, month, status: 'failed', totals },
      { userId: cat.user.id, month, status: 'skipped', totals },
      { userId: gone.user.id, month, status: 'sent', totals, providerMessageId: '<g>' },
    ]);

    const rows = await t.runtime.db.models.MonthlyReport.findAll({
      where: { month, userId: [ann, bob, cat, gone].map((o) => o.user.id) },
    });
    // The users were created in parallel: compare by user, not by id order.
    const byUser = Object.fromEntries(rows.map((r) => [r.userId, [r.status, r.providerMessageId, r.totals]]));
    expect(byUser).toEqual({
      [ann.user.id]: ['sent', '<a2>', totals],
      [bob.user.id]: ['sent', '<b>', totals],
      [cat.user.id]: ['skipped', null, totals],
    });
    expect(rows[0].sentAt?.getTime()).toBe(t.now());
    expect(
      await store.recordedUsers(
        [ann, bob, cat, gone].map((o) => o.user.id),
        month,
      ),
    ).toEqual(new Set([ann.user.id, bob.user.id, cat.user.id]));
    expect(await store.recordedUsers([ann.user.id], '2026-09')).toEqual(new Set());
  });
});
