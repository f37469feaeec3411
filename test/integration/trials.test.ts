import request from 'supertest';
import {
  createClockedTestApp,
  createOwner,
  createSubscription,
  type ClockedTestApp,
} from '../helpers/subscriptions';

describe('free trials', () => {
  let t: ClockedTestApp;
  beforeAll(async () => {
    t = await createClockedTestApp('2027-01-05T12:00:00Z');
  });
  afterAll(() => t.close());

  const ledgerOf = async (auth: Record<string, string>, id: number) =>
    (await request(t.app).get(`/subscriptions/${id}/payments?sort=due_date`).set(auth)).body.map(
      (p: { due_date: string; amount: string }) => `${p.due_date} ${p.amount}`,
    );

  it('a trial ending on the 31st charges nothing before it, then converts anchored there', async () => {
    t.setNow('2027-01-05T12:00:00Z');
    const { auth } = await createOwner(t);
    const created = await request(t.app).post('/subscriptions').set(auth).send({
      name: 'Trial plan',
      price: '12.00',
      billing_cycle: 'monthly',
      trial_ends_on: '2027-01-31',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      trial_ends_on: '2027-01-31',
      next_payment_date: '2027-01-31',
      anchor_date: '2027-01-31',
    });
    const id = created.body.id as number;

    t.setNow('2027-01-31T12:00:00Z');
    await t.services.advance.advanceDue();
    expect(await ledgerOf(auth, id)).toEqual([]);

    t.setNow('2027-04-01T12:00:00Z');
    await t.services.advance.advanceDue();
    expect(await ledgerOf(auth, id)).toEqual(['2027-01-31 12.00', '2027-02-28 12.00', '2027-03-31 12.00']);
    const after = await request(t.app).get(`/subscriptions/${id}`).set(auth);
    expect(after.body).toMatchObject({ next_payment_date: '2027-04-30', trial_ends_on: '2027-01-31' });
  });

  it('a trial cancelled before it ends records nothing, ever', async () => {
    t.setNow('2027-01-05T12:00:00Z');
    const { auth } = await createOwner(t);
    const sub = await createSubscription(t.app, auth, {
      trial_ends_on: '2027-01-20',
      next_payment_date: undefined,
    });
    const cancelled = await request(t.app)
      .patch(`/subscriptions/${sub.id}`)
      .set(auth)
      .send({ status: 'cancelled' });
    expect(cancelled.status).toBe(200);
    t.setNow('2027-03-01T12:00:00Z');
    await t.services.advance.advanceDue();
    expect(await ledgerOf(auth, sub.id)).toEqual([]);
    const logs = await request(t.app).get(`/subscriptions/${sub.id}/reminder_logs`).set(auth);
    expect(logs.body).toEqual([]);
  });

  it('a trial ending in the past converts at once, its missed trial-end reminders logged with their kind', async () => {
    t.setNow('2027-01-05T12:00:00Z');
    const { auth } = await createOwner(t);
    const sub = await createSubscription(t.app, auth, {
      trial_ends_on: '2027-01-20',
      next_payment_date: undefined,
      reminder_offsets: [3],
    });
    t.setNow('2027-01-25T12:00:00Z');
    await t.services.advance.advanceDue();
    expect(await ledgerOf(auth, sub.id)).toEqual(['2027-01-20 9.99']);
    const logs = await request(t.app).get(`/subscriptions/${sub.id}/reminder_logs`).set(auth);
    expect(logs.body).toEqual([
      expect.objectContaining({
        due_date: '2027-01-20',
        offset_days: 3,
        kind: 'trial_end',
        reason: 'missed',
      }),
    ]);
  });

  it('upcoming marks the trial-end charge and its reminders; later charges are payments', async () => {
    t.setNow('2027-01-05T12:00:00Z');
    const { auth } = await createOwner(t);
    await createSubscription(t.app, auth, {
      trial_ends_on: '2027-01-10',
      next_payment_date: undefined,
      billing_cycle: 'weekly',
      reminder_offsets: [1],
    });
    const res = await request(t.app).get('/reminders/upcoming?days=12').set(auth);
    expect(res.status).toBe(200);
    const kinds = res.body.map((c: { due_date: string; reminders: { kind: string }[] }) => [
      c.due_date,
      c.reminders.map((r) => r.kind),
    ]);
    expect(kinds).toEqual([
      ['2027-01-10', ['trial_end']],
      ['2027-01-17', ['charge']],
    ]);
    expect(res.body[0].trial_ends_on).toBe('2027-01-10');
  });

  it('refuses a next_payment_date that differs from the trial end, and requires one of the two', async () => {
    const { auth } = await createOwner(t);
    const both = await request(t.app).post('/subscriptions').set(auth).send({
      name: 'Mismatch',
      price: '5.00',
      billing_cycle: 'monthly',
      trial_ends_on: '2027-02-01',
      next_payment_date: '2027-02-02',
    });
    expect(both.status).toBe(422);
    expect(both.body.errors.json.next_payment_date).toBeDefined();
    const neither = await request(t.app)
      .post('/subscriptions')
      .set(auth)
      .send({ name: 'Neither', price: '5.00', billing_cycle: 'monthly' });
    expect(neither.status).toBe(422);
  });

  it('moving the next payment date during the trial moves the trial end with it', async () => {
    t.setNow('2027-01-05T12:00:00Z');
    const { auth } = await createOwner(t);
    const sub = await createSubscription(t.app, auth, {
      trial_ends_on: '2027-01-20',
      next_payment_date: undefined,
    });
    const moved = await request(t.app)
      .patch(`/subscriptions/${sub.id}`)
      .set(auth)
      .send({ next_payment_date: '2027-01-27' });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ trial_ends_on: '2027-01-27', anchor_date: '2027-01-27' });
    const cleared = await request(t.app)
      .patch(`/subscriptions/${sub.id}`)
      .set(auth)
      .send({ trial_ends_on: null });
    expect(cleared.body).toMatchObject({ trial_ends_on: null, next_payment_date: '2027-01-27' });
  });
});
