import request from 'supertest';
import { createReminderStore } from '../../src/services/reminder-store';
import { createRuntime, type Runtime } from '../../src/runtime';
import {
  createClockedTestApp,
  createOwner,
  createSubscription,
  type ClockedTestApp,
} from '../helpers/subscriptions';

/**
 * Upcoming and stats are read raw (owner and subscriptions in one query): every write shows on the very next
 * read, and the ETag a client keeps answers 304 only while nothing it shows has changed.
 */
describe('freshness of GET /reminders/upcoming and /stats/summary', () => {
  let t: ClockedTestApp;
  beforeAll(async () => {
    t = await createClockedTestApp();
  });
  afterAll(() => t.close());
  beforeEach(() => t.setNow('2027-01-04T12:00:00Z'));

  const get = (path: string, auth: Record<string, string>, etag?: string) =>
    request(t.app)
      .get(path)
      .set({ ...auth, ...(etag ? { 'If-None-Match': etag } : {}) });

  it('shows a created, changed and deleted subscription on the very next read of both', async () => {
    const { auth } = await createOwner(t);
    const sub = await createSubscription(t.app, auth, { name: 'Gym', next_payment_date: '2027-01-10' });
    expect(
      (await get('/reminders/upcoming?days=30', auth)).body.map((i: { name: string }) => i.name),
    ).toEqual(['Gym']);
    expect((await get('/stats/summary', auth)).body).toMatchObject({ total_spent: '9.99' });

    await request(t.app).patch(`/subscriptions/${sub.id}`).set(auth).send({ price: '20.00' }).expect(200);
    expect((await get('/reminders/upcoming?days=30', auth)).body[0]).toMatchObject({ price: '20.00' });
    expect((await get('/stats/summary', auth)).body).toMatchObject({ total_spent: '20.00' });

    await request(t.app).delete(`/subscriptions/${sub.id}`).set(auth).expect(200);
    expect((await get('/reminders/upcoming?days=30', auth)).body).toEqual([]);
    expect((await get('/stats/summary', auth)).body).toMatchObject({ total_spent: '0.00', charges_count: 0 });
  });

  it('answers 304 to a matching If-None-Match, and 200 with a new ETag once a write changed the answer', async () => {
    const { user, auth } = await createOwner(t);
    const sub = await createSubscription(t.app, auth, { name: 'Music', next_payment_date: '2027-01-20' });
    for (const path of ['/reminders/upcoming?days=30', '/stats/summary']) {
      const first = await get(path, auth);
      expect(first.status).toBe(200);
      const etag = first.headers.etag as string;
      expect(etag).toBeTruthy();
      expect((await get(path, auth, etag)).status).toBe(304);
      expect((await get(path, auth, '"another"')).status).toBe(200);
    }

    const upcomingTag = (await get('/reminders/upcoming?days=30', auth)).headers.etag as string;
    const statsTag = (await get('/stats/summary', auth)).headers.etag as string;
    // A reminder logged by the worker changes upcoming; a new price changes both.
    await t.runtime.db.models.ReminderLog.create({
      subscriptionId: sub.id,
      userId: user.id,
      dueDate: '2027-01-20',
      offsetDays: 7,
      idempotencyKey: `rem:${sub.id}:2027-01-20:7`,
      status: 'sent',
      success: true,
      attempts: 1,
    });
    const afterLog = await get('/reminders/upcoming?days=30', auth, upcomingTag);
    expect(afterLog.status).toBe(200);
    expect(afterLog.body[0].reminders[0]).toMatchObject({ offset_days: 7, status: 'sent' });

    await request(t.app).patch(`/subscriptions/${sub.id}`).set(auth).send({ price: '3.50' }).expect(200);
    const afterPatch = await get('/stats/summary', auth, statsTag);
    expect(afterPatch.status).toBe(200);
    expect(afterPatch.body).toMatchObject({ total_spent: '3.50' });
  });

  it('shows a write of the worker and of another API process on the next read of every process', async () => {
    // A second API process on the same database, same clock: each keeps its own cache of answers.
    const { config, logger, db, mailer } = t.runtime;
    const other: Runtime = createRuntime(config, logger, {
      db,
      mailer,
      temporalAddress: '127.0.0.1:1',
      now: t.now,
    });
    await other.ready();
    const apps = [t.app, other.createApp()];
    try {
      const { user, auth } = await createOwner(t);
      const sub = await createSubscription(t.app, auth, { name: 'News', next_payment_date: '2027-01-20' });
      const upcomingIn = async (app: (typeof apps)[number]) =>
        (await request(app).get('/reminders/upcoming?days=30').set(auth).expect(200)).body;
      // Both processes answer twice: the second answer is their cached one.
      for (const app of [...apps, ...apps])
        expect((await upcomingIn(app))[0].reminders[0].status).toBe('pending');

      // The worker logs a sent reminder through its store (raw insert, no model hooks).
      await createReminderStore(db).recordLogs([
        {
          subscriptionId: sub.id,
          userId: user.id,
          dueDate: '2027-01-20',
          offsetDays: 7,
          status: 'sent',
          attempts: 1,
          late: false,
        },
      ]);
      for (const app of apps)
        expect((await upcomingIn(app))[0].reminders[0]).toMatchObject({ offset_days: 7, status: 'sent' });

      // Deleting that log through the other process shows it pending again.
      const logs = await request(apps[1]!)
        .get(`/subscriptions/${sub.id}/reminder_logs`)
        .set(auth)
        .expect(200);
      await request(apps[1]!).delete(`/reminder_logs/${logs.body[0].id}`).set(auth).expect(200);
      expect((await upcomingIn(apps[0]!))[0].reminders[0]).toMatchObject({
        offset_days: 7,
        status: 'pending',
      });

      // A price change made through one process shows in the other's next summary and upcoming read.
      for (const app of apps) await request(app).get('/stats/summary').set(auth).expect(200);
      await request(apps[1]!).patch(`/subscriptions/${sub.id}`).set(auth).send({ price: '4.25' }).expect(200);
      expect((await request(apps[0]!).get('/stats/summary').set(auth)).body).toMatchObject({
        total_spent: '4.25',
      });
      expect((await upcomingIn(apps[0]!))[0]).toMatchObject({ price: '4.25' });
    } finally {
      await other.close();
    }
  });
});
