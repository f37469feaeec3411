import request from 'supertest';
import {
  createClockedTestApp,
  createOwner,
  createSubscription,
  type ClockedTestApp,
} from '../helpers/subscriptions';

/** Times are after the real clock, so stamps written with it (reminders_changed_at) never hide a reminder. */
describe('advancing due payments', () => {
  let t: ClockedTestApp;
  beforeAll(async () => {
    t = await createClockedTestApp();
  });
  afterAll(() => t.close());

  async function ledgerOf(auth: Record<string, string>, id: number) {
    const res = await request(t.app).get(`/subscriptions/${id}/payments?sort=due_date`).set(auth);
    return res.body.map((p: { due_date: string }) => p.due_date);
  }
  async function logsOf(auth: Record<string, string>, id: number) {
    const res = await request(t.app).get(`/subscriptions/${id}/reminder_logs`).set(auth);
    return res.body as { due_date: string; offset_days: number; status: string; reason: string }[];
  }
  const keys = (logs: { due_date: string; offset_days: number }[]) =>
    logs.map((l) => `${l.due_date}/${l.offset_days}`).sort();

  it('after a two-month outage writes each charge and each missed reminder once, and moves the date on', async () => {
    t.setNow('2027-01-05T12:00:00Z');
    const { auth } = await createOwner(t);
    const sub = await createSubscription(t.app, auth, { next_payment_date: '2027-01-10', price: '12.00' });

    t.setNow('2027-03-15T12:00:00Z');
    const first = await t.services.advance.advanceDue();
    expect(first).toMatchObject({ advanced: 1, charges: 3, missedReminders: 5 });
    const second = await t.services.advance.advanceDue();
    expect(second).toMatchObject({ scanned: 0, advanced: 0, charges: 0 });

    expect((await request(t.app).get(`/subscriptions/${sub.id}`).set(auth)).body.next_payment_date).toBe(
      '2027-04-10',
    );
    expect(await ledgerOf(auth, sub.id)).toEqual(['2027-01-10', '2027-02-10', '2027-03-10']);
    const logs = await logsOf(auth, sub.id);
    // Jan 10's 7-day reminder (Jan 3) preceded the subscription: never due, never missed.
    expect(keys(logs)).toEqual([
      '2027-01-10/1',
      '2027-02-10/1',
      '2027-02-10/7',
      '2027-03-10/1',
      '2027-03-10/7',
    ]);
    expect(logs[0]).toMatchObject({ status: 'skipped', reason: 'missed', success: false, sent_at: null });
  });

  it('two concurrent runs write nothing twice', async () => {
    t.setNow('2027-01-05T12:00:00Z');
    const owners = await Promise.all([createOwner(t), createOwner(t, 'America/New_York')]);
    const subs = [];
    for (const { auth } of owners) {
      subs.push(
        await createSubscription(t.app, auth, { billing_cycle: 'weekly', next_payment_date: '2027-01-07' }),
      );
    }
    t.setNow('2027-02-01T12:00:00Z');
    await Promise.all([t.services.advance.advanceDue({ pageSize: 1 }), t.services.advance.advanceDue()]);
    for (const [i, { auth }] of owners.entries()) {
      expect(await ledgerOf(auth, subs[i]!.id)).toEqual([
        '2027-01-07',
        '2027-01-14',
        '2027-01-21',
        '2027-01-28',
      ]);
      const logs = await logsOf(auth, subs[i]!.id);
      expect(new Set(keys(logs)).size).toBe(logs.length);
      // Only the 1-day reminders: a 7-day offset does not fit a weekly period.
      expect(keys(logs)).toEqual(['2027-01-07/1', '2027-01-14/1', '2027-01-21/1', '2027-01-28/1']);
    }
    const { Payment } = t.runtime.db.models;
    expect(await Payment.count({ where: { subscriptionId: subs.map((s) => s.id) } })).toBe(8);
  });

  it('leaves a reminder already logged as it was', async () => {
    t.setNow('2027-01-05T12:00:00Z');
    const { user, auth } = await createOwner(t);
    const sub = await createSubscription(t.app, auth, { next_payment_date: '2027-01-20' });
    await t.runtime.db.models.ReminderLog.create({
      subscriptionId: sub.id,
      userId: user.id,
      dueDate: '2027-01-20',
      offsetDays: 7,
      idempotencyKey: `rem:${sub.id}:2027-01-20:7`,
      status: 'sent',
      success: true,
      sentAt: new Date('2027-01-13T09:00:00Z'),
    });
    t.setNow('2027-01-21T12:00:00Z');
    await t.services.advance.advanceDue({ userId: user.id });
    const logs = await logsOf(auth, sub.id);
    expect(logs.map((l) => [l.offset_days, l.status]).sort()).toEqual([
      [1, 'skipped'],
      [7, 'sent'],
    ]);
  });

  it("a charge due today in the owner's zone stays next; it is due once the owner's day is over", async () => {
    t.setNow('2027-01-05T12:00:00Z');
    const { user, auth } = await createOwner(t, 'America/Los_Angeles');
    const sub = await createSubscription(t.app, auth, { next_payment_date: '2027-01-10' });
    t.setNow('2027-01-11T07:00:00Z'); // 23:00 on Jan 10 in Los Angeles
    await t.services.advance.advanceDue({ userId: user.id });
    expect(await ledgerOf(auth, sub.id)).toEqual([]);
    t.setNow('2027-01-11T08:30:00Z'); // 00:30 on Jan 11
    await t.services.advance.advanceDue({ userId: user.id });
    expect(await ledgerOf(auth, sub.id)).toEqual(['2027-01-10']);
  });

  it('books the charges but logs no missed reminder for an owner who turned reminders off', async () => {
    t.setNow('2027-01-05T12:00:00Z');
    const { user, auth } = await createOwner(t);
    await user.update({ remindersEnabled: false });
    const sub = await createSubscription(t.app, auth, { next_payment_date: '2027-01-20' });
    t.setNow('2027-02-25T12:00:00Z');
    await t.services.advance.advanceDue({ userId: user.id });
    expect(await ledgerOf(auth, sub.id)).toEqual(['2027-01-20', '2027-02-20']);
    expect(await logsOf(auth, sub.id)).toEqual([]);
  });

  it('neither advances nor logs paused and cancelled plans', async () => {
    t.setNow('2027-01-05T12:00:00Z');
    const { user, auth } = await createOwner(t);
    const paused = await createSubscription(t.app, auth, {
      status: 'paused',
      next_payment_date: '2027-01-10',
    });
    const cancelled = await createSubscription(t.app, auth, {
      status: 'cancelled',
      next_payment_date: '2027-01-10',
    });
    t.setNow('2027-03-01T12:00:00Z');
    expect(await t.services.advance.advanceDue({ userId: user.id })).toMatchObject({ scanned: 0 });
    for (const sub of [paused, cancelled]) {
      expect(await ledgerOf(auth, sub.id)).toEqual([]);
      expect(await logsOf(auth, sub.id)).toEqual([]);
    }
  });

  it('works in pages by id and reports the cursor', async () => {
    t.setNow('2027-01-05T12:00:00Z');
    const { user, auth } = await createOwner(t);
    for (let i = 0; i < 3; i++) await createSubscription(t.app, auth, { next_payment_date: '2027-01-06' });
    t.setNow('2027-01-08T12:00:00Z');
    const page = await t.services.advance.advancePage({ userId: user.id, pageSize: 2 });
    expect(page).toMatchObject({ scanned: 2, advanced: 2, nextAfterId: expect.any(Number) });
    const rest = await t.services.advance.advancePage({
      userId: user.id,
      pageSize: 2,
      afterId: page.nextAfterId!,
    });
    expect(rest).toMatchObject({ scanned: 1, advanced: 1, nextAfterId: null });
  });
});
