import request from 'supertest';
import {
  createClockedTestApp,
  createOwner,
  createSubscription,
  type ClockedTestApp,
} from '../helpers/subscriptions';

describe('GET /stats/summary', () => {
  let t: ClockedTestApp;
  beforeAll(async () => {
    t = await createClockedTestApp();
  });
  afterAll(() => t.close());
  beforeEach(() => t.setNow('2026-12-15T12:00:00Z'));

  const summary = (auth: Record<string, string>, month?: string) =>
    request(t.app)
      .get(`/stats/summary${month ? `?month=${month}` : ''}`)
      .set(auth);

  it('counts a weekly plan five times in a month with five of its weekdays', async () => {
    const { auth } = await createOwner(t);
    // 2027-01-01 is a Friday; January 2027 has five Fridays.
    await createSubscription(t.app, auth, {
      billing_cycle: 'weekly',
      next_payment_date: '2027-01-01',
      price: '5.00',
    });
    const res = await summary(auth, '2027-01');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      month: '2027-01',
      currency: 'USD',
      total_spent: '25.00',
      charges_count: 5,
      source: 'projection',
      monthly_equivalent: '21.67',
    });
    expect((await summary(auth, '2027-02')).body).toMatchObject({ total_spent: '20.00', charges_count: 4 });
  });

  it('counts a yearly plan only in its month, while its monthly equivalent is a twelfth', async () => {
    const { auth } = await createOwner(t);
    await createSubscription(t.app, auth, {
      billing_cycle: 'yearly',
      next_payment_date: '2027-03-10',
      price: '120.00',
    });
    expect((await summary(auth, '2027-03')).body).toMatchObject({ total_spent: '120.00', charges_count: 1 });
    expect((await summary(auth, '2027-04')).body).toMatchObject({
      total_spent: '0.00',
      charges_count: 0,
      by_category: {},
      monthly_equivalent: '10.00',
    });
    expect((await summary(auth, '2028-03')).body.total_spent).toBe('120.00');
  });

  it('never adds two currencies: the top level is the user currency, by_currency has each', async () => {
    const { auth } = await createOwner(t);
    await createSubscription(t.app, auth, {
      next_payment_date: '2027-01-05',
      price: '10.00',
      category: 'video',
    });
    await createSubscription(t.app, auth, { next_payment_date: '2027-01-06', price: '3.50', category: null });
    await createSubscription(t.app, auth, {
      next_payment_date: '2027-01-07',
      price: '8.00',
      currency: 'EUR',
      category: 'music',
    });
    const res = await summary(auth, '2027-01');
    expect(res.body).toEqual({
      month: '2027-01',
      currency: 'USD',
      total_spent: '13.50',
      by_category: { video: '10.00', uncategorized: '3.50' },
      charges_count: 2,
      source: 'projection',
      monthly_equivalent: '13.50',
      by_currency: {
        USD: {
          total_spent: '13.50',
          by_category: { video: '10.00', uncategorized: '3.50' },
          charges_count: 2,
          monthly_equivalent: '13.50',
        },
        EUR: {
          total_spent: '8.00',
          by_category: { music: '8.00' },
          charges_count: 1,
          monthly_equivalent: '8.00',
        },
      },
      // No rates stored: the euro charge is listed, never added 1:1.
      home_total: {
        currency: 'USD',
        total_spent: '13.50',
        by_category: { video: '10.00', uncategorized: '3.50' },
        charges_count: 2,
        rates_as_of: null,
        complete: false,
        unconverted: [
          {
            currency: 'EUR',
            reason: 'missing_rate',
            rate_currency: 'USD',
            amount: '8.00',
            charges_count: 1,
            dates: ['2027-01-07'],
          },
        ],
      },
    });
  });

  it('reports a past month from the ledger, also after the subscription was deleted', async () => {
    const { auth } = await createOwner(t);
    const sub = await createSubscription(t.app, auth, {
      next_payment_date: '2026-10-20',
      price: '7.00',
      category: 'news',
    });
    expect(sub.next_payment_date).toBe('2026-12-20');
    const before = await summary(auth, '2026-10');
    expect(before.body).toMatchObject({
      source: 'ledger',
      total_spent: '7.00',
      by_category: { news: '7.00' },
    });
    await request(t.app).delete(`/subscriptions/${sub.id}`).set(auth);
    const after = await summary(auth, '2026-11');
    expect(after.body).toMatchObject({ source: 'ledger', total_spent: '7.00', charges_count: 1 });
    expect(after.body.monthly_equivalent).toBe('0.00');
  });

  it('reports the current month from the ledger and the projection together, without counting twice', async () => {
    const { auth } = await createOwner(t);
    // Dec 1 and Dec 8 are charged (ledger), Dec 15 (today), 22 and 29 are still to come.
    await createSubscription(t.app, auth, {
      billing_cycle: 'weekly',
      next_payment_date: '2026-12-01',
      price: '2.00',
    });
    const res = await summary(auth);
    expect(res.body).toMatchObject({
      month: '2026-12',
      source: 'mixed',
      total_spent: '10.00',
      charges_count: 5,
    });
    t.setNow('2026-12-23T12:00:00Z');
    expect((await summary(auth)).body).toMatchObject({ total_spent: '10.00', charges_count: 5 });
  });

  it('keeps a month-end anchor on the last day of shorter months', async () => {
    const { auth } = await createOwner(t);
    const sub = await createSubscription(t.app, auth, { next_payment_date: '2027-01-31', price: '4.00' });
    expect((await summary(auth, '2027-02')).body).toMatchObject({ total_spent: '4.00', charges_count: 1 });
    expect((await summary(auth, '2027-04')).body.charges_count).toBe(1);
    t.setNow('2027-03-01T12:00:00Z');
    await t.services.advance.advanceDue();
    const ledger = await request(t.app).get(`/subscriptions/${sub.id}/payments`).set(auth);
    expect(ledger.body.map((p: { due_date: string }) => p.due_date)).toEqual(['2027-02-28', '2027-01-31']);
  });

  it('a user in Pacific/Auckland asking at 23:30 UTC gets their own (next) month', async () => {
    const { auth } = await createOwner(t, 'Pacific/Auckland');
    t.setNow('2026-12-20T12:00:00Z');
    await createSubscription(t.app, auth, {
      billing_cycle: 'monthly',
      next_payment_date: '2026-12-31',
      price: '6.00',
    });
    t.setNow('2026-12-31T23:30:00Z'); // 12:30 on Jan 1 2027 in Auckland
    const res = await summary(auth);
    expect(res.body).toMatchObject({
      month: '2027-01',
      source: 'mixed',
      total_spent: '6.00',
      charges_count: 1,
    });
    expect((await summary(auth, '2026-12')).body).toMatchObject({ source: 'ledger', total_spent: '6.00' });
  });

  it.each(['1969-12', '2026-13', '2026-00', '10000-01', '2026-1', 'abc'])(
    'answers 422 naming month for %s',
    async (month) => {
      const { auth } = await createOwner(t);
      const res = await summary(auth, month);
      expect(res.status).toBe(422);
      expect(Object.keys(res.body.errors.query)).toEqual(['month']);
    },
  );

  it('answers for the last month of the calendar, where a plan has no next occurrence', async () => {
    const { auth } = await createOwner(t);
    await createSubscription(t.app, auth, { next_payment_date: '9999-12-15', price: '1.00' });
    const res = await summary(auth, '9999-12');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ total_spent: '1.00', charges_count: 1 });
  });

  it('answers 401 without a token', async () => {
    expect((await request(t.app).get('/stats/summary')).status).toBe(401);
  });
});
