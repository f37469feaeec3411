import type { Database } from '../../src/db/database';
import { createReminderStore, startedReminderKeys } from '../../src/services/reminder-store';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

const at = (iso: string) => Date.parse(iso);
/** The check runs at 07:00 UTC: its window ends at 09:00 UTC. */
const NOW = at('2027-03-03T07:00:00Z');

let t: TestDatabase;
let db: Database;
beforeAll(async () => {
  t = await createTestDatabase();
  db = t.db;
});
afterAll(() => t?.close());

let counter = 0;
/** A verified Berlin owner (09:00, [7, 1]) with a monthly plan due 2027-03-10, created on 2027-01-01. */
async function arrange(
  user: Partial<{ emailVerifiedAt: Date | null; remindersEnabled: boolean }> = {},
  sub: Partial<{ status: 'active' | 'paused'; nextPaymentDate: string }> = {},
) {
  counter += 1;
  const owner = await db.models.User.create({
    username: `owner${counter}`,
    email: `owner${counter}-${process.pid}@example.com`,
    passwordHash: 'x',
    timezone: 'Europe/Berlin',
    emailVerifiedAt: new Date('2027-01-01T00:00:00Z'),
    ...user,
  });
  const nextPaymentDate = sub.nextPaymentDate ?? '2027-03-10';
  const subscription = await db.models.Subscription.create({
    userId: owner.id,
    name: `Plan ${counter}`,
    priceMinor: 999,
    currency: 'EUR',
    billingCycle: 'monthly',
    anchorDate: nextPaymentDate,
    nextPaymentDate,
    status: sub.status ?? 'active',
  });
  await db.sequelize.query('UPDATE subscriptions SET created_at = :at WHERE id = :id', {
    replacements: { at: new Date('2027-01-01T00:00:00Z'), id: subscription.id },
  });
  return { owner, subscription };
}

describe('reminder store on the database', () => {
  it('lists verified, active, reminding subscriptions in id order, in pages that never split one', async () => {
    const store = createReminderStore(db);
    const due = [await arrange(), await arrange(), await arrange()];
    await arrange({ emailVerifiedAt: null });
    await arrange({ remindersEnabled: false });
    await arrange({}, { status: 'paused' });
    await arrange({}, { nextPaymentDate: '2027-05-10' });
    const mine = due.map((d) => d.subscription.id);

    const first = await store.listCandidates(0, 2, NOW);
    expect(first.more).toBe(true);
    expect(first.starts.map((s) => s.subscriptionId)).toEqual(mine.slice(0, 2));
    expect(first.starts[0]).toEqual({
      subscriptionId: due[0].subscription.id,
      userId: due[0].owner.id,
      dueDate: '2027-03-10',
      offsetDays: 7,
      instantMs: at('2027-03-03T08:00:00Z'),
      catchUp: false,
    });
    const second = await store.listCandidates(first.cursor, 2, NOW);
    expect(second.starts.map((s) => s.subscriptionId)).toEqual(mine.slice(2));
    expect(second.more).toBe(false);
  });

  it('stops listing a reminder once started or logged; logging twice keeps the first row', async () => {
    const store = createReminderStore(db);
    const a = await arrange();
    const b = await arrange();
    const listed = async () =>
      (await store.listCandidates(a.subscription.id - 1, 250, NOW)).starts.filter((s) =>
        [a.subscription.id, b.subscription.id].includes(s.subscriptionId),
      );
    expect(await listed()).toHaveLength(2);

    const startedA = {
      subscriptionId: a.subscription.id,
      dueDate: '2027-03-10',
      offsetDays: 7,
      batchId: 'b-1',
    };
    await store.markStarted([startedA]);
    await store.markStarted([startedA]);
    expect(await startedReminderKeys(db, a.subscription.id)).toEqual([
      `rem:${a.subscription.id}:2027-03-10:7`,
    ]);
    const entry = {
      subscriptionId: b.subscription.id,
      userId: b.owner.id,
      dueDate: '2027-03-10',
      offsetDays: 7,
      status: 'sent' as const,
      attempts: 2,
      late: false,
      providerMessageId: '<1@mg>',
      sentAtMs: at('2027-03-03T08:00:01Z'),
    };
    await store.recordLogs([{ ...entry, workflowId: 'b-1', workflowRunId: 'r-1' }]);
    await store.recordLogs([{ ...entry, status: 'failed', attempts: 8 }]);
    expect(await listed()).toEqual([]);
    const key = `rem:${b.subscription.id}:2027-03-10:7`;
    expect(await store.loggedKeys([key, `rem:${a.subscription.id}:2027-03-10:7`])).toEqual(new Set([key]));
    const logs = await db.models.ReminderLog.findAll({ where: { subscriptionId: b.subscription.id } });
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({
      status: 'sent',
      success: true,
      attempts: 2,
      providerMessageId: '<1@mg>',
      late: false,
      workflowId: 'b-1',
      workflowRunId: 'r-1',
    });
    expect(logs[0].sentAt?.getTime()).toBe(at('2027-03-03T08:00:01Z'));
  });

  it('after an outage plans the smallest passed offset late and logs the superseded one', async () => {
    const store = createReminderStore(db);
    const { subscription } = await arrange();
    const page = await store.listCandidates(subscription.id - 1, 250, at('2027-03-09T12:00:00Z'));
    expect(page.starts.filter((s) => s.subscriptionId === subscription.id)).toEqual([
      expect.objectContaining({ offsetDays: 1, catchUp: true }),
    ]);
    expect(page.skips.filter((s) => s.subscriptionId === subscription.id)).toEqual([
      expect.objectContaining({ offsetDays: 7, reason: 'superseded' }),
    ]);
  });

  it('a deleted subscription: no context, its log is refused as deleted, its start marker is dropped', async () => {
    const store = createReminderStore(db);
    const { subscription, owner } = await arrange();
    expect(await store.findContext(subscription.id)).toMatchObject({
      subscription: { id: subscription.id, status: 'active', reminderOffsets: null },
      owner: { id: owner.id, emailVerified: true, timezone: 'Europe/Berlin', reminderOffsets: [7, 1] },
    });
    await subscription.destroy();
    expect(await store.findContext(subscription.id)).toBeNull();
    const entry = { subscriptionId: subscription.id, userId: owner.id, dueDate: '2027-03-10', offsetDays: 1 };
    await store.recordLogs([{ ...entry, status: 'sent', attempts: 1, late: false }]);
    expect(await db.models.ReminderLog.count({ where: { subscriptionId: subscription.id } })).toBe(0);
    await expect(store.markStarted([{ ...entry, batchId: 'b-1' }])).resolves.toBeUndefined();
    expect(await store.claim([entry], 'b-1')).toEqual(new Set());
  });

  it('claims: the first batch to claim a reminder holds it for good; another gets only the rest', async () => {
    const store = createReminderStore(db);
    const a = await arrange();
    const b = await arrange();
    const ra = { subscriptionId: a.subscription.id, dueDate: '2027-03-10', offsetDays: 7 };
    const rb = { subscriptionId: b.subscription.id, dueDate: '2027-03-10', offsetDays: 7 };
    const ka = `rem:${ra.subscriptionId}:2027-03-10:7`;
    const kb = `rem:${rb.subscriptionId}:2027-03-10:7`;

    expect(await store.claim([ra], 'batch-old')).toEqual(new Set([ka]));
    expect(await store.claim([ra, rb], 'batch-new')).toEqual(new Set([kb]));
    // A retried activity of the first batch still holds what it claimed.
    expect(await store.claim([ra], 'batch-old')).toEqual(new Set([ka]));
  });

  it('writes many log rows in one call, keeping a row already there', async () => {
    const store = createReminderStore(db);
    const subs = await Promise.all([arrange(), arrange(), arrange()]);
    const entries = subs.map(({ subscription, owner }) => ({
      subscriptionId: subscription.id,
      userId: owner.id,
      dueDate: '2027-03-10',
      offsetDays: 7,
      status: 'sent' as const,
      attempts: 1,
      late: true,
      workflowId: 'b-2',
    }));
    await store.recordLogs([entries[0]]);
    await store.recordLogs(entries.map((e) => ({ ...e, attempts: 3 })));
    const rows = await db.models.ReminderLog.findAll({
      where: { subscriptionId: subs.map((s) => s.subscription.id) },
    });
    // The three were arranged in parallel, so their ids need not follow the array's order.
    const byId = new Map(rows.map((r) => [r.subscriptionId, r]));
    const inArrayOrder = subs.map((s) => byId.get(s.subscription.id)!);
    expect(inArrayOrder.map((r) => [r.attempts, r.late, r.workflowId])).toEqual([
      [1, true, 'b-2'],
      [3, true, 'b-2'],
      [3, true, 'b-2'],
    ]);
  });

  it('stamps reminders_changed_at when a client changes dates or offsets, not when advancing moves the date', async () => {
    const { subscription, owner } = await arrange();
    await db.models.Subscription.update(
      { nextPaymentDate: '2027-04-10' },
      { where: { id: subscription.id } },
    );
    await subscription.reload();
    expect(subscription.remindersChangedAt).toBeNull();
    await subscription.update({ name: 'Renamed' });
    expect(subscription.remindersChangedAt).toBeNull();
    await subscription.update({ anchorDate: '2027-04-12', nextPaymentDate: '2027-04-12' });
    await subscription.reload();
    expect(subscription.remindersChangedAt).toBeInstanceOf(Date);
    await owner.update({ reminderOffsets: [3] });
    await owner.reload();
    expect(owner.remindersChangedAt).toBeInstanceOf(Date);
  });
});

describe('cancel-by deadlines on the database', () => {
  it('lists a cancel-by reminder of a plan renewing far beyond the window, logged once under its own key', async () => {
    const store = createReminderStore(db);
    // An annual plan renewing in December whose deadline to cancel is 2027-03-10 (reminded 7 and 1 days before).
    const { subscription } = await arrange({}, { nextPaymentDate: '2027-12-01' });
    await subscription.update({ billingCycle: 'yearly', cancelBy: '2027-03-10' });
    await db.sequelize.query('UPDATE subscriptions SET reminders_changed_at = NULL WHERE id = :id', {
      replacements: { id: subscription.id },
    });
    const page = await store.listCandidates(subscription.id - 1, 100, NOW);
    const mine = page.starts.filter((s) => s.subscriptionId === subscription.id);
    expect(mine).toEqual([
      expect.objectContaining({ dueDate: '2027-03-10', offsetDays: 7, kind: 'cancel_by', catchUp: false }),
    ]);
    await store.recordLogs([{ ...mine[0]!, status: 'sent', attempts: 1, late: false }]);
    expect(await store.loggedKeys([`cancelby:${subscription.id}:2027-03-10:7`])).toEqual(
      new Set([`cancelby:${subscription.id}:2027-03-10:7`]),
    );
    const again = await store.listCandidates(subscription.id - 1, 100, NOW);
    expect(again.starts.filter((s) => s.subscriptionId === subscription.id)).toEqual([]);
    const [row] = await db.models.ReminderLog.findAll({ where: { subscriptionId: subscription.id } });
    expect(row).toMatchObject({ kind: 'cancel_by', dueDate: '2027-03-10', offsetDays: 7 });
  });
});
