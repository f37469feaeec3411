import request from 'supertest';
import {
  createClockedTestApp,
  createOwner,
  createSubscription,
  subscriptionBody,
  type ClockedTestApp,
} from '../helpers/subscriptions';

describe('subscriptions CRUD', () => {
  let t: ClockedTestApp;
  beforeAll(async () => {
    t = await createClockedTestApp('2026-11-27T12:00:00Z');
  });
  afterAll(() => t.close());

  it('creates a subscription with the seed fields and answers every field, money as a decimal string', async () => {
    const { user, auth } = await createOwner(t);
    const res = await request(t.app).post('/subscriptions').set(auth).send({
      name: 'Netflix',
      price: '29.99',
      billing_cycle: 'monthly',
      next_payment_date: '2026-12-15',
      category: 'entertainment',
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(Number),
      user_id: user.id,
      name: 'Netflix',
      price: '29.99',
      currency: 'USD',
      billing_cycle: 'monthly',
      billing_interval: 1,
      next_payment_date: '2026-12-15',
      anchor_date: '2026-12-15',
      trial_ends_on: null,
      ends_on: null,
      cancel_by: null,
      category: 'entertainment',
      status: 'active',
      reminder_offsets: null,
      notes: null,
      url: null,
      monthly_equivalent: '29.99',
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    const got = await request(t.app).get(`/subscriptions/${res.body.id}`).set(auth);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(res.body);
  });

  it('accepts a JSON number price with at most two decimals and rejects more', async () => {
    const { auth } = await createOwner(t);
    const ok = await request(t.app)
      .post('/subscriptions')
      .set(auth)
      .send(subscriptionBody({ price: 12.5 }));
    expect(ok.status).toBe(201);
    expect(ok.body.price).toBe('12.50');
    for (const price of [12.345, 0.1 + 0.2, 0, '0.00', '-1', 'abc', '1e3', null, true]) {
      const bad = await request(t.app).post('/subscriptions').set(auth).send(subscriptionBody({ price }));
      expect({ price, status: bad.status }).toEqual({ price, status: 422 });
      expect(Object.keys(bad.body.errors.json)).toEqual(['price']);
    }
  });

  it.each([
    ['name', ''],
    ['name', '   '],
    ['name', 'x'.repeat(121)],
    ['currency', 'EURO'],
    ['billing_cycle', 'fortnightly'],
    ['billing_interval', 0],
    ['billing_interval', 101],
    ['next_payment_date', '2026-02-30'],
    ['next_payment_date', '1969-12-31'],
    ['category', 'c'.repeat(81)],
    ['status', 'deleted'],
    ['reminder_offsets', [91]],
    ['reminder_offsets', [1, 1]],
    ['reminder_offsets', [1, 2, 3, 4, 5, 6]],
    ['reminder_offsets', [-1]],
    ['url', 'ftp://example.com'],
    ['url', 'not a url'],
    ['anchor_date', '2026-12-01'],
    ['monthly_equivalent', '1.00'],
  ])('answers 422 naming %s when it is %j', async (field, value) => {
    const { auth } = await createOwner(t);
    const res = await request(t.app)
      .post('/subscriptions')
      .set(auth)
      .send(subscriptionBody({ [field]: value }));
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 422, status: 'Unprocessable Entity' });
    // Array items are named by index: reminder_offsets.0
    expect(Object.keys(res.body.errors.json).map((key) => key.split('.')[0])).toContain(field);
  });

  it('names each missing required field', async () => {
    const { auth } = await createOwner(t);
    const res = await request(t.app)
      .post('/subscriptions')
      .set(auth)
      .send({ price: '12.99', billing_cycle: 'monthly' });
    expect(res.status).toBe(422);
    // Without a trial the first charge is next_payment_date: either names it.
    expect(Object.keys(res.body.errors.json).sort()).toEqual(['name', 'next_payment_date', 'trial_ends_on']);
  });

  it('stores the new fields, upper-cases the currency and keeps offsets distinct, largest first', async () => {
    const { auth } = await createOwner(t);
    const sub = await createSubscription(t.app, auth, {
      currency: 'eur',
      billing_cycle: 'weekly',
      billing_interval: 2,
      reminder_offsets: [1, 7],
      notes: 'family plan',
      url: 'https://example.com/account',
      status: 'paused',
    });
    expect(sub).toMatchObject({
      currency: 'EUR',
      billing_interval: 2,
      reminder_offsets: [7, 1],
      notes: 'family plan',
      url: 'https://example.com/account',
      status: 'paused',
      monthly_equivalent: '21.65',
    });
  });

  it('answers 409 name_taken for a name that differs only in case and spacing', async () => {
    const { auth } = await createOwner(t);
    await createSubscription(t.app, auth, { name: 'Spotify' });
    const res = await request(t.app)
      .post('/subscriptions')
      .set(auth)
      .send(subscriptionBody({ name: ' SPOTIFY ' }));
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({
      error: 'name_taken',
      message: 'You already have a subscription with this name.',
    });
  });

  it('lets two users use the same name', async () => {
    const ann = await createOwner(t);
    const bob = await createOwner(t);
    await createSubscription(t.app, ann.auth, { name: 'Gym' });
    await createSubscription(t.app, bob.auth, { name: 'Gym' });
  });

  it('when two creates with one name race, one answers 201 and the other 409', async () => {
    const { auth } = await createOwner(t);
    const body = subscriptionBody({ name: 'Racing' });
    const results = await Promise.all(
      [0, 1].map(() => request(t.app).post('/subscriptions').set(auth).send(body)),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(results.find((r) => r.status === 409)!.body.error).toBe('name_taken');
  });

  it("answers 404 for someone else's subscription on every verb", async () => {
    const ann = await createOwner(t);
    const bob = await createOwner(t);
    const sub = await createSubscription(t.app, ann.auth);
    const path = `/subscriptions/${sub.id}`;
    for (const res of [
      await request(t.app).get(path).set(bob.auth),
      await request(t.app).put(path).set(bob.auth).send({ price: '1.00' }),
      await request(t.app).patch(path).set(bob.auth).send({ price: '1.00' }),
      await request(t.app).delete(path).set(bob.auth),
      await request(t.app).get(`${path}/payments`).set(bob.auth),
      await request(t.app).get(`${path}/reminder_logs`).set(bob.auth),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body.code).toBe(404);
    }
    expect((await request(t.app).get(path).set(ann.auth)).status).toBe(200);
  });

  it('answers 401 without a token and 422 for a non-numeric id', async () => {
    expect((await request(t.app).get('/subscriptions')).status).toBe(401);
    const { auth } = await createOwner(t);
    const res = await request(t.app).get('/subscriptions/abc').set(auth);
    expect(res.status).toBe(422);
    expect(Object.keys(res.body.errors.path)).toEqual(['id']);
    const huge = await request(t.app).get('/subscriptions/99999999999999999999').set(auth);
    expect(huge.status).toBe(422);
  });

  it('deletes with the seed message and then answers 404', async () => {
    const { auth } = await createOwner(t);
    const sub = await createSubscription(t.app, auth);
    const res = await request(t.app).delete(`/subscriptions/${sub.id}`).set(auth);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ message: 'Subscription deleted.' });
    expect((await request(t.app).get(`/subscriptions/${sub.id}`).set(auth)).status).toBe(404);
    expect((await request(t.app).delete(`/subscriptions/${sub.id}`).set(auth)).body.message).toBe(
      'Subscription not found.',
    );
  });
});
