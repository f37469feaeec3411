import request from 'supertest';
import {
  createClockedTestApp,
  createOwner,
  createSubscription,
  type ClockedTestApp,
} from '../helpers/subscriptions';

describe('GET /reminders/upcoming', () => {
  let t: ClockedTestApp;
  beforeAll(async () => {
    t = await createClockedTestApp();
  });
  afterAll(() => t.close());
  beforeEach(() => t.setNow('2027-01-04T12:00:00Z'));

  const upcoming = (auth: Record<string, string>, query = '') =>
    request(t.app).get(`/reminders/upcoming${query}`).set(auth);
  const dueDates = (body: { name: string; due_date: string }[]) => body.map((i) => `${i.due_date} ${i.name}`);

  it('lists every occurrence in [today, today + days], sorted by due date, name and id', async () => {
    const { auth } = await createOwner(t);
    await createSubscription(t.app, auth, {
      name: 'Weekly',
      billing_cycle: 'weekly',
      next_payment_date: '2027-01-04',
    });
    await createSubscription(t.app, auth, { name: 'Monthly', next_payment_date: '2027-01-11' });
    await createSubscription(t.app, auth, { name: 'Later', next_payment_date: '2027-01-19' });
    await createSubscription(t.app, auth, {
      name: 'Paused',
      next_payment_date: '2027-01-05',
      status: 'paused',
    });
    const res = await upcoming(auth, '?days=14');
    expect(res.status).toBe(200);
    expect(dueDates(res.body)).toEqual([
      '2027-01-04 Weekly',
      '2027-01-11 Monthly',
      '2027-01-11 Weekly',
      '2027-01-18 Weekly',
    ]);
    expect(dueDates((await upcoming(auth)).body)).toEqual([
      '2027-01-04 Weekly',
      '2027-01-11 Monthly',
      '2027-01-11 Weekly',
    ]);
    expect(dueDates((await upcoming(auth, '?days=0')).body)).toEqual(['2027-01-04 Weekly']);
  });

  it('gives each item the subscription fields, the due date and its reminders with instants and states', async () => {
    const { user, auth } = await createOwner(t, 'Europe/Berlin');
    const sub = await createSubscription(t.app, auth, { name: 'Netflix', next_payment_date: '2027-01-10' });
    await t.runtime.db.models.ReminderLog.create({
      subscriptionId: sub.id,
      userId: user.id,
      dueDate: '2027-01-10',
      offsetDays: 7,
      idempotencyKey: `rem:${sub.id}:2027-01-10:7`,
      status: 'sent',
      success: true,
    });
    const [item] = (await upcoming(auth)).body;
    expect(item).toMatchObject({ id: sub.id, name: 'Netflix', price: '9.99', due_date: '2027-01-10' });
    expect(item.reminders).toEqual([
      { offset_days: 7, kind: 'charge', at: '2027-01-03T08:00:00.000Z', status: 'sent' },
      { offset_days: 1, kind: 'charge', at: '2027-01-09T08:00:00.000Z', status: 'pending' },
    ]);
  });

  it('leaves out offsets that do not fit the period and honours a plan with none', async () => {
    const { auth } = await createOwner(t);
    await createSubscription(t.app, auth, { billing_cycle: 'weekly', next_payment_date: '2027-01-06' });
    await createSubscription(t.app, auth, { next_payment_date: '2027-01-07', reminder_offsets: [] });
    const items = (await upcoming(auth)).body;
    expect(
      items.map((i: { reminders: { offset_days: number }[] }) => i.reminders.map((r) => r.offset_days)),
    ).toEqual([[1], []]);
  });

  it("uses the owner's today: in Auckland at 23:30 UTC the window starts a day later", async () => {
    const { auth } = await createOwner(t, 'Pacific/Auckland');
    await createSubscription(t.app, auth, { billing_cycle: 'daily', next_payment_date: '2027-01-05' });
    t.setNow('2027-01-04T23:30:00Z');
    const res = await upcoming(auth, '?days=1');
    expect(res.body.map((i: { due_date: string }) => i.due_date)).toEqual(['2027-01-05', '2027-01-06']);
  });

  it.each(['-1', '366', 'x'])('answers 422 naming days for %s', async (days) => {
    const { auth } = await createOwner(t);
    const res = await upcoming(auth, `?days=${days}`);
    expect(res.status).toBe(422);
    expect(Object.keys(res.body.errors.query)).toEqual(['days']);
  });

  it('answers an empty array when nothing is due, and 401 without a token', async () => {
    const { auth } = await createOwner(t);
    expect((await upcoming(auth)).body).toEqual([]);
    expect((await request(t.app).get('/reminders/upcoming')).status).toBe(401);
  });

  it('answers days=365 over daily plans one bounded page at a time, with X-Total-Count and Link', async () => {
    const { auth } = await createOwner(t);
    for (const name of ['A', 'B', 'C']) {
      await createSubscription(t.app, auth, {
        name,
        billing_cycle: 'daily',
        next_payment_date: '2027-01-04',
      });
    }
    const first = await upcoming(auth, '?days=365');
    expect(first.status).toBe(200);
    expect(first.body).toHaveLength(100);
    expect(first.headers['x-total-count']).toBe(String(3 * 366));
    expect(first.headers.link).toContain('rel="next"');
    expect(first.headers.link).toContain('</reminders/upcoming?days=365&page=11&per_page=100>; rel="last"');
    // Pages follow the one order: page 2 of 10 is items 10 to 19 of the first page of 100.
    const second = await upcoming(auth, '?days=365&per_page=10&page=2');
    expect(dueDates(second.body)).toEqual(dueDates(first.body).slice(10, 20));
    const last = await upcoming(auth, '?days=365&page=11');
    expect(dueDates(last.body).slice(-3)).toEqual(['2028-01-04 A', '2028-01-04 B', '2028-01-04 C']);
    expect(last.body).toHaveLength(3 * 366 - 1000);
    expect((await upcoming(auth, '?per_page=101')).status).toBe(422);
  });
});
