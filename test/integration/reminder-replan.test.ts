import type { Client } from '@temporalio/client';
import { QueryTypes } from 'sequelize';
import request from 'supertest';
import { createReminderReplanService } from '../../src/services/reminder-replan-service';
import { createReminderWaker } from '../../src/temporal/reminder-waker';
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

  /** A started marker, held by the batch workflow `batchId` (null: started before batches existed). */
  async function started(
    subscriptionId: number,
    dueDate: string,
    offsetDays: number,
    batchId: string | null,
  ) {
    await t.runtime.db.sequelize.getQueryInterface().bulkInsert('reminder_starts', [
      {
        subscription_id: subscriptionId,
        idempotency_key: `rem:${subscriptionId}:${dueDate}:${offsetDays}`,
        due_date: dueDate,
        batch_id: batchId,
        created_at: new Date(),
      },
    ]);
  }

  /** A batch workflow id of this test's own (never a fixed one). */
  const batchId = (name: string) => `test-reminders-${name}-${Math.random().toString(36).slice(2, 10)}`;

  async function arrange() {
    const owner = await createOwner(t);
    const a = await createSubscription(t.app, owner.auth, { next_payment_date: '2027-03-11' });
    const b = await createSubscription(t.app, owner.auth, { next_payment_date: '2027-03-12' });
    const batches = { early: batchId('early'), late: batchId('late'), old: batchId('old') };
    await started(a.id, '2027-03-11', 1, batches.early);
    await started(a.id, '2027-03-11', 3, batches.early); // logged below: nothing to wake
    await started(b.id, '2027-03-12', 7, batches.late);
    await started(b.id, '2027-02-12', 1, batches.old); // a payment long due: nothing to wake
    await t.runtime.db.models.ReminderLog.create({
      subscriptionId: a.id,
      userId: owner.user.id,
      dueDate: '2027-03-11',
      offsetDays: 3,
      idempotencyKey: `rem:${a.id}:2027-03-11:3`,
      status: 'sent',
    });
    return { owner, a, b, batches };
  }

  it("lists the owner's started, unlogged reminders of payments not yet due, or one subscription's", async () => {
    const { owner, a, b, batches } = await arrange();
    const other = await arrange();
    const { reminderReplan } = t.services;

    const mine = await reminderReplan.sleepingReminders({ userId: owner.user.id });
    expect(mine).toEqual(
      expect.arrayContaining([
        { subscriptionId: a.id, dueDate: '2027-03-11', offsetDays: 1, batchId: batches.early },
        { subscriptionId: b.id, dueDate: '2027-03-12', offsetDays: 7, batchId: batches.late },
      ]),
    );
    expect(mine).toHaveLength(2);
    expect(await reminderReplan.sleepingReminders({ userId: owner.user.id, subscriptionId: b.id })).toEqual([
      { subscriptionId: b.id, dueDate: '2027-03-12', offsetDays: 7, batchId: batches.late },
    ]);
    expect(
      await reminderReplan.sleepingReminders({ userId: owner.user.id, subscriptionId: other.a.id }),
    ).toEqual([]);
  });

  it('with Temporal down, counts what it could not reach and unmarks it for the next check; never throws', async () => {
    const { owner, a, b, batches } = await arrange();
    const other = await arrange();
    const outcome = await t.services.reminderReplan.replan({ userId: owner.user.id });
    expect(outcome).toMatchObject({ woken: 0, ended: 0, unreached: 2, batches: 0 });
    expect(outcome!.notReached).toEqual(
      expect.arrayContaining([
        { subscriptionId: a.id, dueDate: '2027-03-11', offsetDays: 1, batchId: batches.early },
        { subscriptionId: b.id, dueDate: '2027-03-12', offsetDays: 7, batchId: batches.late },
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

  /** Two sleeping reminders in one batch, one in another, and one started before batches existed. */
  async function arrangeBatches() {
    const owner = await createOwner(t);
    const a = await createSubscription(t.app, owner.auth, { next_payment_date: '2027-03-11' });
    const b = await createSubscription(t.app, owner.auth, { next_payment_date: '2027-03-12' });
    const batches = { shared: batchId('shared'), own: batchId('own') };
    const reminders = [
      { subscriptionId: a.id, dueDate: '2027-03-11', offsetDays: 1, batchId: batches.shared },
      { subscriptionId: b.id, dueDate: '2027-03-12', offsetDays: 1, batchId: batches.shared },
      { subscriptionId: b.id, dueDate: '2027-03-12', offsetDays: 7, batchId: batches.own },
      { subscriptionId: a.id, dueDate: '2027-03-11', offsetDays: 3, batchId: null },
    ];
    for (const r of reminders) await started(r.subscriptionId, r.dueDate, r.offsetDays, r.batchId);
    return { owner, a, b, batches, reminders };
  }

  it("lists each sleeping reminder's batch; with Temporal down, every batch's reminders and the batchless one are unmarked", async () => {
    const { owner, reminders } = await arrangeBatches();
    const { reminderReplan } = t.services;
    const listed = await reminderReplan.sleepingReminders({ userId: owner.user.id });
    expect(listed).toEqual(expect.arrayContaining(reminders));
    expect(listed).toHaveLength(4);

    const outcome = await reminderReplan.replan({ userId: owner.user.id });
    expect(outcome).toMatchObject({ woken: 0, ended: 0, unreached: 4, batches: 0 });
    expect(outcome!.notReached).toEqual(expect.arrayContaining(reminders));
    expect(await reminderReplan.sleepingReminders({ userId: owner.user.id })).toEqual([]);
  });

  it('1,000 changes of an owner within the window signal each batch twice: at once, then when the window closes', async () => {
    const { owner, a, b, batches } = await arrangeBatches();
    const signals: string[] = [];
    const client = {
      withDeadline: <T>(_deadline: number, fn: () => Promise<T>) => fn(),
      workflow: {
        getHandle: (workflowId: string) => ({
          signal: async () => {
            signals.push(workflowId);
          },
        }),
      },
    } as unknown as Client;
    const replans = createReminderReplanService({
      db: t.runtime.db,
      now: t.now,
      wake: createReminderWaker(client),
      logger: t.runtime.logger,
      replanWindowMs: 60_000,
    });
    const scopes = [{ userId: owner.user.id }, { userId: owner.user.id, subscriptionId: a.id }];
    const [first, ...rest] = await Promise.all(
      Array.from({ length: 1000 }, (_, i) => replans.replan(scopes[i % 2])),
    );
    // The first replans at once (the batchless reminder is unmarked); the others wait for the trailing one.
    expect(first).toEqual(expect.objectContaining({ woken: 3, ended: 0, unreached: 1, batches: 2 }));
    expect(rest.every((outcome) => outcome === undefined)).toBe(true);
    expect(signals.sort()).toEqual([batches.own, batches.shared].sort());

    await replans.close();
    expect(signals.sort()).toEqual([batches.own, batches.own, batches.shared, batches.shared].sort());
    // Reminders of a signalled batch keep their started markers; only the batchless one was unmarked.
    expect(await replans.sleepingReminders({ userId: owner.user.id, subscriptionId: b.id })).toHaveLength(2);
    expect(await replans.sleepingReminders({ userId: owner.user.id })).toHaveLength(3);
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
