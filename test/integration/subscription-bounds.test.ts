import request from 'supertest';
import { createTestApp, type TestApp } from '../helpers/app';
import {
  createClockedTestApp,
  createOwner,
  createSubscription,
  subscriptionBody,
  type ClockedTestApp,
} from '../helpers/subscriptions';

describe('bounds on the work one request can cause', () => {
  describe('next_payment_date at most 365 days in the past', () => {
    let t: ClockedTestApp;
    beforeAll(async () => {
      t = await createClockedTestApp('2026-11-27T12:00:00Z');
    });
    afterAll(() => t.close());

    const meOf = async (auth: Record<string, string>) =>
      (await request(t.app).get('/users/me').set(auth)).body as { id: number };
    const paymentsOf = async (auth: Record<string, string>, id: number) =>
      Number((await request(t.app).get(`/subscriptions/${id}/payments`).set(auth)).headers['x-total-count']);

    it('refuses a daily plan from 1970 with a 422 naming the field, and writes no payment', async () => {
      const { auth } = await createOwner(t);
      const res = await request(t.app)
        .post('/subscriptions')
        .set(auth)
        .send(subscriptionBody({ billing_cycle: 'daily', next_payment_date: '1970-01-01' }));
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({
        code: 422,
        error: 'validation_failed',
        message: 'next_payment_date may be at most 365 days in the past.',
        errors: { json: { next_payment_date: ['must be on or after 2025-11-27 (at most 365 days ago)'] } },
      });
      expect((await request(t.app).get('/subscriptions').set(auth)).body).toEqual([]);
      expect(await t.runtime.db.models.Payment.count({ where: { userId: (await meOf(auth)).id } })).toBe(0);
    });

    it('accepts a date exactly 365 days back and books at most a year of charges', async () => {
      const { auth } = await createOwner(t);
      const sub = await createSubscription(t.app, auth, {
        billing_cycle: 'daily',
        next_payment_date: '2025-11-27',
      });
      expect(sub.next_payment_date >= '2026-11-27').toBe(true);
      expect(await paymentsOf(auth, sub.id)).toBeLessThanOrEqual(366);
      const dayBefore = await request(t.app)
        .post('/subscriptions')
        .set(auth)
        .send(subscriptionBody({ next_payment_date: '2025-11-26' }));
      expect(dayBefore.status).toBe(422);
    });

    it.each(['put', 'patch'] as const)('refuses moving the date further back by %s', async (method) => {
      const { auth } = await createOwner(t);
      const sub = await createSubscription(t.app, auth, { billing_cycle: 'daily' });
      const res = await request(t.app)[method](`/subscriptions/${sub.id}`).set(auth).send({
        next_payment_date: '1970-01-01',
      });
      expect(res.status).toBe(422);
      expect(res.body.errors.json).toHaveProperty('next_payment_date');
      expect(await paymentsOf(auth, sub.id)).toBe(0);
    });
  });

  describe('MAX_SUBSCRIPTIONS_PER_USER', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ env: { MAX_SUBSCRIPTIONS_PER_USER: '3' } });
    });
    afterAll(() => t.close());

    it('answers 409 subscription_limit_reached past the quota, counting every status, per user', async () => {
      const { auth } = await createOwner(t);
      await createSubscription(t.app, auth);
      await createSubscription(t.app, auth, { status: 'paused' });
      const cancelled = await createSubscription(t.app, auth, { status: 'cancelled' });
      const res = await request(t.app).post('/subscriptions').set(auth).send(subscriptionBody());
      expect(res.status).toBe(409);
      expect(res.body).toEqual({
        code: 409,
        status: 'Conflict',
        message: 'You have reached the limit of 3 subscriptions: delete one to add another.',
        error: 'subscription_limit_reached',
      });
      // Another user has a quota of their own; deleting one frees a place.
      await createSubscription(t.app, (await createOwner(t)).auth);
      await request(t.app).delete(`/subscriptions/${cancelled.id}`).set(auth).expect(200);
      await createSubscription(t.app, auth);
    });
  });
});
