import request from 'supertest';
import {
  createClockedTestApp,
  createOwner,
  createSubscription,
  type ClockedTestApp,
} from '../helpers/subscriptions';

describe('fixed terms and cancel-by deadlines', () => {
  let t: ClockedTestApp;
  beforeAll(async () => {
    t = await createClockedTestApp('2027-01-05T12:00:00Z');
  });
  afterAll(() => t.close());

  const ledgerOf = async (auth: Record<string, string>, id: number) =>
    (await request(t.app).get(`/subscriptions/${id}/payments?sort=due_date`).set(auth)).body.map(
      (p: { due_date: string }) => p.due_date,
    );

  it('charges nothing after the term and ends itself once its last day has passed in the owner zone', async () => {
    t.setNow('2027-01-05T12:00:00Z');
    // Auckland is 13 hours ahead: its Apr 1 starts at Mar 31 11:00 UTC.
    const { auth } = await createOwner(t, 'Pacific/Auckland');
    const sub = await createSubscription(t.app, auth, {
      next_payment_date: '2027-01-31',
      ends_on: '2027-03-31',
    });
    expect(sub).toMatchObject({ ends_on: '2027-03-31', cancel_by: null });

    t.setNow('2027-03-31T10:00:00Z'); // Mar 31 23:00 in Auckland: the last day of the term
    await t.services.advance.advanceDue();
    let got = await request(t.app).get(`/subscriptions/${sub.id}`).set(auth);
    expect(got.body.status).toBe('active');

    t.setNow('2027-03-31T12:00:00Z'); // Apr 1 01:00 in Auckland
    await t.services.advance.advanceDue();
    got = await request(t.app).get(`/subscriptions/${sub.id}`).set(auth);
    expect(got.body.status).toBe('cancelled');
    expect(await ledgerOf(auth, sub.id)).toEqual(['2027-01-31', '2027-02-28', '2027-03-31']);

    t.setNow('2027-07-01T12:00:00Z');
    await t.services.advance.advanceDue();
    expect(await ledgerOf(auth, sub.id)).toEqual(['2027-01-31', '2027-02-28', '2027-03-31']);
  });

  it('upcoming charges and the month projection stop at the term', async () => {
    t.setNow('2027-01-05T12:00:00Z');
    const { auth } = await createOwner(t);
    await createSubscription(t.app, auth, {
      billing_cycle: 'weekly',
      next_payment_date: '2027-01-06',
      ends_on: '2027-01-20',
      price: '10.00',
      currency: 'USD',
    });
    const upcoming = await request(t.app).get('/reminders/upcoming?days=60').set(auth);
    expect(upcoming.body.map((c: { due_date: string }) => c.due_date)).toEqual([
      '2027-01-06',
      '2027-01-13',
      '2027-01-20',
    ]);
    const stats = await request(t.app).get('/stats/summary?month=2027-02').set(auth);
    expect(stats.status).toBe(200);
    expect(stats.body).toMatchObject({ total_spent: '0.00', charges_count: 0 });
  });

  it('accepts a cancel-by deadline up to 365 days ahead and refuses one further', async () => {
    t.setNow('2027-01-05T12:00:00Z');
    const { auth } = await createOwner(t);
    const sub = await createSubscription(t.app, auth, {
      billing_cycle: 'yearly',
      next_payment_date: '2027-12-01',
      cancel_by: '2028-01-05',
    });
    expect(sub.cancel_by).toBe('2028-01-05');
    const far = await request(t.app)
      .patch(`/subscriptions/${sub.id}`)
      .set(auth)
      .send({ cancel_by: '2028-01-06' });
    expect(far.status).toBe(422);
    expect(far.body.errors.json.cancel_by).toBeDefined();
    const cleared = await request(t.app)
      .patch(`/subscriptions/${sub.id}`)
      .set(auth)
      .send({ cancel_by: null });
    expect(cleared.body.cancel_by).toBeNull();
  });
});
