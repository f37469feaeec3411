import { QueryTypes } from 'sequelize';
import request from 'supertest';
import {
  createClockedTestApp,
  createOwner,
  createSubscription,
  type ClockedTestApp,
} from '../helpers/subscriptions';

/**
 * Which reminders a change wakes: started (a reminder_starts row), not logged, of a payment not yet due, of the
 * owner (or the one subscription) that changed. Temporal is down here: the change still answers 200 at once,
 * and what it could not wake is left to the next reminder check.
 */
describe('waking sleeping reminders after a change', () => {
  let t: ClockedTestApp;
  beforeAll(async () => {
    t = await createClockedTestApp('2027-03-10T12:00:00Z');
  });
  afterAll(() => t.close());

  async function started(subscriptionId: number, dueDate: string, offsetDays: number) {
    await t.runtime.db.sequelize.getQueryInterface().bulkInsert('reminder_starts', [
      {
        subscription_id: subscriptionId,
        idempotency_key: `rem:${subscriptionId}:${dueDate}:${offsetDays}`,
        due_date: dueDate,
        created_at: new Date(),
      },
    ]);
  }

  async function arrange() {
    const owner = await createOwner(t);
    const a = await createSubscription(t.app, owner.auth, { next_payment_date: '2027-03-11' });
    const b = await createSubscription(t.app, owner.auth, { next_payment_date: '2027-03-12' });
    await started(a.id, '2027-03-11', 1);
    await started(a.id, '2027-03-11', 3); // logged below: nothing to wake
    await started(b.id, '2027-03-12', 7);
    await started(b.id, '2027-02-12', 1); // a payment long due: nothing to wake
    await t.runtime.db.models.ReminderLog.create({
      subscriptionId: a.id,
      userId: owner.user.id,
      dueDate: '2027-03-11',
      offsetDays: 3,
      idempotencyKey: `rem:${a.id}:2027-03-11:3`,
      status: 'sent',
    });
    return { owner, a, b };
  }

  it("lists the owner's started, unlogged reminders of payments not yet due, or one subscription's", async () => {
    const { owner, a, b } = await arrange();
    const other = await arrange();
    const { reminderReplan } = t.services;

    const mine = await reminderReplan.sleepingReminders({ userId: owner.user.id });
    expect(mine).toEqual(
      expect.arrayContaining([
        { subscriptionId: a.id, dueDate: '2027-03-11', offsetDays: 1 },
        { subscriptionId: b.id, dueDate: '2027-03-12', offsetDays: 7 },
      ]),
    );
    expect(mine).toHaveLength(2);
    expect(await reminderReplan.sleepingReminders({ userId: owner.user.id, subscriptionId: b.id })).toEqual([
      { subscriptionId: b.id, dueDate: '2027-03-12', offsetDays: 7 },
    ]);
    expect(
      await reminderReplan.sleepingReminders({ userId: owner.user.id, subscriptionId: other.a.id }),
    ).toEqual([]);
  });

  it('with Temporal down, counts what it could not reach and unmarks it for the next check; never throws', async () => {
    const { owner, a, b } = await arrange();
    const other = await arrange();
    const outcome = await t.services.reminderReplan.replan({ userId: owner.user.id });
    expect(outcome).toMatchObject({ woken: 0, ended: 0, unreached: 2 });
    expect(outcome!.notReached).toEqual(
      expect.arrayContaining([
        { subscriptionId: a.id, dueDate: '2027-03-11', offsetDays: 1 },
        { subscriptionId: b.id, dueDate: '2027-03-12', offsetDays: 7 },
      ]),
    );
    // Their started markers are gone (the next reminder check lists them again and signals them then); the
    // logged one's, the long-due one's and another owner's stay.
    const markers = async (subscriptionId: number) =>
      (
        await t.runtime.db.sequelize.query<{ k: string }>(
          'SELECT idempotency_key AS k FROM reminder_starts WHERE subscription_id = :subscriptionId',
          { type: QueryTypes.SELECT, replacements: { subscriptionId } },
        )
      )
        .map((row) => row.k)
        .sort();
    expect(await markers(a.id)).toEqual([`rem:${a.id}:2027-03-11:3`]);
    expect(await markers(b.id)).toEqual([`rem:${b.id}:2027-02-12:1`]);
    expect(await markers(other.a.id)).toHaveLength(2);
    expect(await t.services.reminderReplan.sleepingReminders({ userId: owner.user.id })).toEqual([]);
  });

  it('a settings or subscription change answers 200 within the deadline while Temporal is down', async () => {
    const { owner, b } = await arrange();
    const t0 = Date.now();
    const me = await request(t.app).patch('/users/me').set(owner.auth).send({ reminder_hour: 7 });
    expect(me.status).toBe(200);
    expect(me.body.reminder_hour).toBe(7);
    const sub = await request(t.app)
      .patch(`/subscriptions/${b.id}`)
      .set(owner.auth)
      .send({ reminder_offsets: [2] });
    expect(sub.status).toBe(200);
    expect(sub.body.reminder_offsets).toEqual([2]);
    expect(Date.now() - t0).toBeLessThan(2 * 5000);
  });
});
