import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { createSubscriptionExport } from '../../src/services/subscription-export';
import { createTestApp, type TestApp } from '../helpers/app';
import { createSubscription } from '../helpers/subscriptions';
import { createUserWithTokens } from '../helpers/users';

/** What the export should say of a subscription, from its GET /subscriptions representation. */
const expectedRow = (s: Record<string, unknown>) => ({
  name: s.name,
  price: s.price,
  currency: s.currency,
  billing_cycle: s.billing_cycle,
  billing_interval: s.billing_interval,
  anchor_date: s.anchor_date,
  next_payment_date: s.next_payment_date,
  category: s.category,
  status: s.status,
  reminder_offsets: s.reminder_offsets,
  notes: s.notes,
  url: s.url,
  created_at: s.created_at,
});

describe('GET /subscriptions/export', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  async function ownerWithThree() {
    const owner = await createUserWithTokens(t.runtime);
    const auth = owner.auth;
    await createSubscription(t.app, auth, {
      name: 'Quoted, "tricky"\nname',
      notes: 'line one\nline two, with a comma',
      reminder_offsets: [],
      url: 'https://example.com/a?b=c',
    });
    await createSubscription(t.app, auth, { category: null, reminder_offsets: [3, 1], currency: 'EUR' });
    await createSubscription(t.app, auth, { billing_cycle: 'weekly', billing_interval: 2, status: 'paused' });
    const list = await request(t.app).get('/subscriptions?sort=id').set(auth);
    return { owner, auth, subs: list.body as Record<string, unknown>[] };
  }

  it('as JSON: every field of every subscription of the caller, and nobody else’s', async () => {
    const { auth, subs } = await ownerWithThree();
    const other = await createUserWithTokens(t.runtime);
    await createSubscription(t.app, other.auth);
    const res = await request(t.app).get('/subscriptions/export?format=json').set(auth);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['content-disposition']).toBe('attachment; filename="subscriptions.json"');
    const doc = JSON.parse(res.text);
    expect(doc.format).toBe('subtracker.subscriptions.v1');
    expect(doc.subscriptions).toEqual(subs.map(expectedRow));
  });

  it('as CSV: a header and one row per subscription, quoting and nulls preserved', async () => {
    const { auth, subs } = await ownerWithThree();
    const res = await request(t.app).get('/subscriptions/export?format=csv').set(auth);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    const rows = parse(res.text, { columns: true }) as Record<string, string>[];
    expect(rows).toEqual(
      subs.map((s) => {
        const row = expectedRow(s);
        return Object.fromEntries(
          Object.entries(row).map(([k, v]) => [
            k,
            v === null ? '' : k === 'reminder_offsets' ? JSON.stringify(v) : String(v),
          ]),
        );
      }),
    );
    expect(rows[0]!.reminder_offsets).toBe('[]');
    expect(rows[2]!.reminder_offsets).toBe('');
  });

  it('an empty account exports a header only, and an empty JSON list', async () => {
    const { auth } = await createUserWithTokens(t.runtime);
    const csv = await request(t.app).get('/subscriptions/export?format=csv').set(auth);
    expect(csv.text.trim().split('\n')).toHaveLength(1);
    const json = await request(t.app).get('/subscriptions/export').set(auth);
    expect(JSON.parse(json.text).subscriptions).toEqual([]);
  });

  it('reads page after page in id order, so an export of any size holds one page in memory', async () => {
    const { owner, subs } = await ownerWithThree();
    const reader = createSubscriptionExport({ db: t.runtime.db, pageSize: 2 });
    const ids: number[] = [];
    for await (const sub of await reader.open(owner.user.id)) ids.push(sub.id);
    expect(ids).toEqual(subs.map((s) => s.id));
  });

  it('rejects an unknown format with 422', async () => {
    const { auth } = await createUserWithTokens(t.runtime);
    expect((await request(t.app).get('/subscriptions/export?format=xml').set(auth)).status).toBe(422);
  });
});
