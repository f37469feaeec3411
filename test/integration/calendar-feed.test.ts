import ICAL from 'ical.js';
import request from 'supertest';
import {
  createClockedTestApp,
  createOwner,
  createSubscription,
  type ClockedTestApp,
} from '../helpers/subscriptions';

interface ParsedEvent {
  uid: string;
  summary: string;
  description: string;
  start: string;
  allDay: boolean;
  alarms: string[];
}

/** The feed read by an independent parser (ical.js), never by our own code. */
function parseFeed(text: string): ParsedEvent[] {
  const calendar = new ICAL.Component(ICAL.parse(text));
  return calendar.getAllSubcomponents('vevent').map((vevent) => {
    const event = new ICAL.Event(vevent);
    return {
      uid: event.uid,
      summary: event.summary,
      description: event.description,
      start: event.startDate.toString(),
      allDay: event.startDate.isDate,
      alarms: vevent
        .getAllSubcomponents('valarm')
        .map((alarm) => (alarm.getFirstPropertyValue('trigger') as ICAL.Time).toJSDate().toISOString()),
    };
  });
}

describe('the calendar feed: /users/me/calendar-feed and GET /calendar-feeds/{token}', () => {
  let t: ClockedTestApp;
  beforeAll(async () => {
    t = await createClockedTestApp('2027-03-01T12:00:00Z');
  });
  afterAll(() => t.close());

  const feedPath = (url: string) => new URL(url).pathname;
  async function newFeed(auth: Record<string, string>) {
    const res = await request(t.app).post('/users/me/calendar-feed').set(auth);
    expect(res.status).toBe(201);
    return feedPath(res.body.url as string);
  }

  it('lists each upcoming charge as an all-day event with alarms at the reminder hour across a DST change', async () => {
    const owner = await createOwner(t, 'America/New_York');
    const sub = await createSubscription(t.app, owner.auth, {
      name: 'Netflix',
      price: '15.49',
      currency: 'USD',
      next_payment_date: '2027-03-17',
    });
    const path = await newFeed(owner.auth);
    const res = await request(t.app).get(path);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
    const events = parseFeed(res.text);
    // 2027-03-17 and the eleven months after it, up to 2028-03-01 (12 months from today).
    expect(events.map((e) => e.start)).toEqual([
      '2027-03-17',
      '2027-04-17',
      '2027-05-17',
      '2027-06-17',
      '2027-07-17',
      '2027-08-17',
      '2027-09-17',
      '2027-10-17',
      '2027-11-17',
      '2027-12-17',
      '2028-01-17',
      '2028-02-17',
    ]);
    const first = events[0]!;
    expect(first).toMatchObject({ uid: `charge-${sub.id}-2027-03-17@localhost`, allDay: true });
    expect(first.summary).toBe('Netflix: 15.49 USD');
    expect(first.description).toContain('billed every month');
    // New York springs forward on 2027-03-14: 9:00 is 14:00Z on the 10th (EST), 13:00Z on the 16th (EDT).
    expect(first.alarms).toEqual(['2027-03-10T14:00:00.000Z', '2027-03-16T13:00:00.000Z']);
  });

  it('keeps every UID across two fetches and across a price edit; the edit changes the ETag', async () => {
    const owner = await createOwner(t);
    const sub = await createSubscription(t.app, owner.auth, { next_payment_date: '2027-03-20' });
    const path = await newFeed(owner.auth);
    const one = await request(t.app).get(path);
    const two = await request(t.app).get(path);
    expect(two.text).toBe(one.text);
    expect(two.headers.etag).toBe(one.headers.etag);
    const uids = parseFeed(one.text).map((e) => e.uid);
    expect(uids).toHaveLength(12);

    await request(t.app)
      .patch(`/subscriptions/${sub.id}`)
      .set(owner.auth)
      .send({ price: '11.00' })
      .expect(200);
    const edited = await request(t.app).get(path);
    expect(parseFeed(edited.text).map((e) => e.uid)).toEqual(uids);
    expect(parseFeed(edited.text)[0]!.summary).toContain('11.00');
    expect(edited.headers.etag).not.toBe(one.headers.etag);
  });

  it('answers 304 with no body when If-None-Match holds the current ETag', async () => {
    const owner = await createOwner(t);
    await createSubscription(t.app, owner.auth);
    const path = await newFeed(owner.auth);
    const first = await request(t.app).get(path);
    const again = await request(t.app).get(path).set('If-None-Match', first.headers.etag!);
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    const stale = await request(t.app).get(path).set('If-None-Match', '"something-else"');
    expect(stale.status).toBe(200);
  });

  it('rotating gives a new URL and the old one answers 404; revoking ends the new one', async () => {
    const owner = await createOwner(t);
    const oldPath = await newFeed(owner.auth);
    const newPath = await newFeed(owner.auth);
    expect(newPath).not.toBe(oldPath);
    const old = await request(t.app).get(oldPath);
    expect([old.status, old.body.error]).toEqual([404, 'calendar_feed_not_found']);
    expect((await request(t.app).get(newPath)).status).toBe(200);
    expect((await request(t.app).delete('/users/me/calendar-feed').set(owner.auth)).status).toBe(200);
    expect((await request(t.app).get(newPath)).status).toBe(404);
    expect((await request(t.app).delete('/users/me/calendar-feed').set(owner.auth)).status).toBe(404);
  });

  it('shows no paused subscription and no reminder the owner set to none', async () => {
    const owner = await createOwner(t);
    await createSubscription(t.app, owner.auth, { name: 'Paused', status: 'paused' });
    await createSubscription(t.app, owner.auth, {
      name: 'Quiet',
      billing_cycle: 'yearly',
      next_payment_date: '2027-06-01',
      reminder_offsets: [],
    });
    const events = parseFeed((await request(t.app).get(await newFeed(owner.auth))).text);
    expect(events.map((e) => [e.summary, e.start, e.alarms])).toEqual([
      ['Quiet: 9.99 USD', '2027-06-01', []],
    ]);
  });

  it('marks the charge a trial converts into and lists a cancel-by deadline with alarms across a DST change', async () => {
    const owner = await createOwner(t, 'Europe/Berlin');
    const sub = await createSubscription(t.app, owner.auth, {
      name: 'Stream',
      price: '59.00',
      currency: 'EUR',
      billing_cycle: 'yearly',
      next_payment_date: '2027-04-10',
      trial_ends_on: '2027-04-10',
      cancel_by: '2027-03-31',
    });
    const path = await newFeed(owner.auth);
    const events = parseFeed((await request(t.app).get(path)).text).sort((a, b) =>
      a.start.localeCompare(b.start),
    );
    expect(events.map((e) => [e.uid, e.start, e.summary])).toEqual([
      [
        `cancel-by-${sub.id}-2027-03-31@localhost`,
        '2027-03-31',
        'Cancel Stream by today to avoid the next term',
      ],
      [`charge-${sub.id}-2027-04-10@localhost`, '2027-04-10', 'Stream: free trial ends, then 59.00 EUR'],
    ]);
    // Berlin springs forward on 2027-03-28: 9:00 is 08:00Z on the 24th (CET), 07:00Z on the 30th (CEST).
    expect(events[0]!.alarms).toEqual(['2027-03-24T08:00:00.000Z', '2027-03-30T07:00:00.000Z']);
    expect(events[0]!.allDay).toBe(true);

    await request(t.app)
      .patch(`/subscriptions/${sub.id}`)
      .set(owner.auth)
      .send({ cancel_by: null })
      .expect(200);
    const after = parseFeed((await request(t.app).get(path)).text);
    expect(after.map((e) => e.uid)).toEqual([`charge-${sub.id}-2027-04-10@localhost`]);
  });

  it('a malformed token is 422, an unknown one 404', async () => {
    expect((await request(t.app).get('/calendar-feeds/short')).status).toBe(422);
    expect((await request(t.app).get(`/calendar-feeds/${'a'.repeat(43)}`)).status).toBe(404);
  });
});
