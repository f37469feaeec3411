import request from 'supertest';
import {
  createClockedTestApp,
  createOwner,
  createSubscription,
  type ClockedTestApp,
} from '../helpers/subscriptions';

describe('changing a subscription (PUT and PATCH, partial as in the seed)', () => {
  let t: ClockedTestApp;
  beforeAll(async () => {
    t = await createClockedTestApp('2026-11-27T12:00:00Z');
  });
  afterAll(() => t.close());
  beforeEach(() => t.setNow('2026-11-27T12:00:00Z'));

  const payments = (auth: Record<string, string>, id: number) =>
    request(t.app).get(`/subscriptions/${id}/payments?sort=due_date`).set(auth);

  it.each(['put', 'patch'] as const)('%s changes only the fields sent', async (verb) => {
    const { auth } = await createOwner(t);
    const sub = await createSubscription(t.app, auth, { name: 'Netflix', category: 'video' });
    const res = await request(t.app)[verb](`/subscriptions/${sub.id}`).set(auth).send({ price: '35.50' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'Netflix', price: '35.50', category: 'video' });
    expect(res.body.next_payment_date).toBe(sub.next_payment_date);
  });

  it('null clears category, notes and url; null reminder_offsets inherits again', async () => {
    const { auth } = await createOwner(t);
    const sub = await createSubscription(t.app, auth, {
      notes: 'n',
      url: 'https://example.com',
      reminder_offsets: [],
    });
    expect(sub.reminder_offsets).toEqual([]);
    const res = await request(t.app)
      .put(`/subscriptions/${sub.id}`)
      .set(auth)
      .send({ category: null, notes: null, url: null, reminder_offsets: null });
    expect(res.body).toMatchObject({ category: null, notes: null, url: null, reminder_offsets: null });
  });

  it('null is a 422 for fields that cannot be cleared', async () => {
    const { auth } = await createOwner(t);
    const sub = await createSubscription(t.app, auth);
    for (const field of ['name', 'price', 'billing_cycle', 'next_payment_date', 'status', 'currency']) {
      const res = await request(t.app)
        .patch(`/subscriptions/${sub.id}`)
        .set(auth)
        .send({ [field]: null });
      expect({ field, status: res.status }).toEqual({ field, status: 422 });
    }
  });

  it('renaming onto another subscription of the same user is 409; keeping its own name is fine', async () => {
    const { auth } = await createOwner(t);
    await createSubscription(t.app, auth, { name: 'Netflix' });
    const sub = await createSubscription(t.app, auth, { name: 'Hulu' });
    const taken = await request(t.app).put(`/subscriptions/${sub.id}`).set(auth).send({ name: 'netflix' });
    expect(taken.status).toBe(409);
    expect(taken.body.error).toBe('name_taken');
    const same = await request(t.app).put(`/subscriptions/${sub.id}`).set(auth).send({ name: 'HULU' });
    expect(same.status).toBe(200);
    expect(same.body.name).toBe('HULU');
  });

  it('setting next_payment_date resets the anchor', async () => {
    const { auth } = await createOwner(t);
    const sub = await createSubscription(t.app, auth, { next_payment_date: '2026-12-31' });
    const res = await request(t.app)
      .patch(`/subscriptions/${sub.id}`)
      .set(auth)
      .send({ next_payment_date: '2027-01-10' });
    expect(res.body).toMatchObject({ next_payment_date: '2027-01-10', anchor_date: '2027-01-10' });
  });

  it('changing the billing cycle alone keeps the next date and anchors on it', async () => {
    const { auth } = await createOwner(t);
    const sub = await createSubscription(t.app, auth, { next_payment_date: '2026-12-31' });
    const res = await request(t.app)
      .put(`/subscriptions/${sub.id}`)
      .set(auth)
      .send({ billing_cycle: 'yearly' });
    expect(res.body).toMatchObject({
      billing_cycle: 'yearly',
      next_payment_date: '2026-12-31',
      anchor_date: '2026-12-31',
    });
  });

  it('a past next_payment_date on create is accepted and advanced at once, with its ledger rows', async () => {
    const { auth } = await createOwner(t);
    const sub = await createSubscription(t.app, auth, { next_payment_date: '2026-08-31', price: '10.00' });
    expect(sub).toMatchObject({ anchor_date: '2026-08-31', next_payment_date: '2026-11-30' });
    const ledger = await payments(auth, sub.id);
    expect(ledger.body.map((p: { due_date: string }) => p.due_date)).toEqual([
      '2026-08-31',
      '2026-09-30',
      '2026-10-31',
    ]);
    expect(ledger.body[0]).toMatchObject({ amount: '10.00', currency: 'USD', subscription_id: sub.id });
    const logs = await request(t.app).get(`/subscriptions/${sub.id}/reminder_logs`).set(auth);
    expect(logs.body).toEqual([]);
  });

  it('a past next_payment_date on update is advanced at once as well', async () => {
    const { auth } = await createOwner(t);
    const sub = await createSubscription(t.app, auth, { billing_cycle: 'weekly' });
    const res = await request(t.app)
      .put(`/subscriptions/${sub.id}`)
      .set(auth)
      .send({ next_payment_date: '2026-11-13' });
    expect(res.body).toMatchObject({ anchor_date: '2026-11-13', next_payment_date: '2026-11-27' });
    expect((await payments(auth, sub.id)).body.map((p: { due_date: string }) => p.due_date)).toEqual([
      '2026-11-13',
      '2026-11-20',
    ]);
  });

  it('a paused plan does not advance; resuming jumps to the first occurrence from today without ledger rows', async () => {
    const { auth } = await createOwner(t);
    const sub = await createSubscription(t.app, auth, { next_payment_date: '2026-12-05', status: 'active' });
    await request(t.app).patch(`/subscriptions/${sub.id}`).set(auth).send({ status: 'paused' });
    t.setNow('2027-02-10T12:00:00Z');
    await t.services.advance.advanceDue();
    expect((await request(t.app).get(`/subscriptions/${sub.id}`).set(auth)).body.next_payment_date).toBe(
      '2026-12-05',
    );
    const resumed = await request(t.app)
      .patch(`/subscriptions/${sub.id}`)
      .set(auth)
      .send({ status: 'active' });
    expect(resumed.body).toMatchObject({ status: 'active', next_payment_date: '2027-03-05' });
    expect((await payments(auth, sub.id)).body).toEqual([]);
  });

  it('charges that came due before a pause, and that no run has booked yet, are booked by the pause', async () => {
    const { auth } = await createOwner(t);
    const sub = await createSubscription(t.app, auth, {
      billing_cycle: 'weekly',
      next_payment_date: '2026-11-30',
    });
    t.setNow('2026-12-08T12:00:00Z');
    const res = await request(t.app).patch(`/subscriptions/${sub.id}`).set(auth).send({ status: 'paused' });
    expect(res.body).toMatchObject({ status: 'paused', next_payment_date: '2026-12-14' });
    expect((await payments(auth, sub.id)).body.map((p: { due_date: string }) => p.due_date)).toEqual([
      '2026-11-30',
      '2026-12-07',
    ]);
  });

  it('a cancelled plan can be reactivated and keeps its name', async () => {
    const { auth } = await createOwner(t);
    const sub = await createSubscription(t.app, auth, { name: 'Gym', next_payment_date: '2026-12-01' });
    await request(t.app).put(`/subscriptions/${sub.id}`).set(auth).send({ status: 'cancelled' });
    const again = await request(t.app).post('/subscriptions').set(auth).send({
      name: 'gym',
      price: '1.00',
      billing_cycle: 'monthly',
      next_payment_date: '2027-01-01',
    });
    expect(again.status).toBe(409);
    t.setNow('2027-01-15T12:00:00Z');
    const res = await request(t.app).put(`/subscriptions/${sub.id}`).set(auth).send({ status: 'active' });
    expect(res.body).toMatchObject({ name: 'Gym', status: 'active', next_payment_date: '2027-02-01' });
  });

  it("today is the owner's local date: in Auckland a date that is still tomorrow in UTC is already due", async () => {
    const { auth } = await createOwner(t, 'Pacific/Auckland');
    t.setNow('2026-11-30T23:30:00Z'); // 12:30 on Dec 1 in Auckland
    const sub = await createSubscription(t.app, auth, {
      billing_cycle: 'weekly',
      next_payment_date: '2026-11-30',
    });
    expect(sub.next_payment_date).toBe('2026-12-07');
  });
});
