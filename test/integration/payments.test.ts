import request from 'supertest';
import {
  createClockedTestApp,
  createOwner,
  createSubscription,
  type ClockedTestApp,
} from '../helpers/subscriptions';

describe('the payments ledger', () => {
  let t: ClockedTestApp;
  let auth: Record<string, string>;
  let netflix: { id: number };
  beforeAll(async () => {
    t = await createClockedTestApp('2026-12-15T12:00:00Z');
    ({ auth } = await createOwner(t));
    // Monthly from Sep 10: Sep, Oct, Nov, Dec 10 are charged; weekly from Nov 20: Nov 20, 27, Dec 4, 11.
    netflix = await createSubscription(t.app, auth, {
      name: 'Netflix',
      next_payment_date: '2026-09-10',
      price: '15.00',
    });
    await createSubscription(t.app, auth, {
      name: 'Box',
      billing_cycle: 'weekly',
      next_payment_date: '2026-11-20',
      price: '3.00',
      currency: 'EUR',
    });
    await createSubscription(t.app, (await createOwner(t)).auth, { next_payment_date: '2026-11-01' });
  });
  afterAll(() => t.close());

  it("lists a subscription's charges, newest first, with the snapshot name and amount", async () => {
    const res = await request(t.app).get(`/subscriptions/${netflix.id}/payments`).set(auth);
    expect(res.status).toBe(200);
    expect(res.headers['x-total-count']).toBe('4');
    expect(res.body.map((p: { due_date: string }) => p.due_date)).toEqual([
      '2026-12-10',
      '2026-11-10',
      '2026-10-10',
      '2026-09-10',
    ]);
    expect(res.body[0]).toEqual({
      id: expect.any(Number),
      subscription_id: netflix.id,
      name: 'Netflix',
      category: 'video',
      due_date: '2026-12-10',
      amount: '15.00',
      currency: 'USD',
      created_at: expect.any(String),
    });
  });

  it("lists the owner's charges of one month across subscriptions, paginated", async () => {
    const res = await request(t.app).get('/payments?month=2026-11&sort=due_date&per_page=2').set(auth);
    expect(res.headers['x-total-count']).toBe('3');
    expect(res.body.map((p: { name: string; due_date: string }) => `${p.due_date} ${p.name}`)).toEqual([
      '2026-11-10 Netflix',
      '2026-11-20 Box',
    ]);
    expect(res.headers.link).toContain(
      '</payments?month=2026-11&sort=due_date&page=2&per_page=2>; rel="next"',
    );
    expect((await request(t.app).get('/payments').set(auth)).headers['x-total-count']).toBe('8');
  });

  it('keeps the rows, unlinked, after the subscription is deleted', async () => {
    const { auth: own } = await createOwner(t);
    const sub = await createSubscription(t.app, own, { name: 'Gone', next_payment_date: '2026-12-01' });
    await request(t.app).delete(`/subscriptions/${sub.id}`).set(own);
    const res = await request(t.app).get('/payments?month=2026-12').set(own);
    expect(res.body).toEqual([expect.objectContaining({ name: 'Gone', subscription_id: null })]);
  });

  it.each([
    ['/payments?month=2026-13', 'month'],
    ['/payments?month=1969-12', 'month'],
    ['/payments?sort=price', 'sort'],
    ['/payments?per_page=500', 'per_page'],
  ])('answers 422 for %s', async (path, field) => {
    const res = await request(t.app).get(path).set(auth);
    expect(res.status).toBe(422);
    expect(Object.keys(res.body.errors.query)).toEqual([field]);
  });
});
