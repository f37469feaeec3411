import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { parseEcbRates } from '../../src/rates/ecb-xml';
import { createExchangeRateStore } from '../../src/services/exchange-rate-store';
import {
  createClockedTestApp,
  createOwner,
  createSubscription,
  type ClockedTestApp,
} from '../helpers/subscriptions';

const fixture = (name: string) =>
  parseEcbRates(fs.readFileSync(path.join(__dirname, '../fixtures/ecb', name), 'utf8'));

/**
 * The ECB fixtures: the history to 2026-12-02 (USD 1.1 until 13 November, 1.2 from the 16th; JPY 160; GBP 0.85;
 * ISK published until 2 November only), and the daily document of 2026-12-03 (USD 1.21, ISK 146.10).
 */
describe('GET /stats/summary: home_total in the home currency at dated rates', () => {
  let t: ClockedTestApp;
  beforeAll(async () => {
    t = await createClockedTestApp('2026-12-04T12:00:00Z');
    const store = createExchangeRateStore(t.runtime.db);
    await store.upsertDays(fixture('eurofxref-hist-90d.xml'));
    await store.upsertDays(fixture('eurofxref-daily.xml'));
  });
  afterAll(() => t.close());

  const summary = (auth: Record<string, string>, month: string) =>
    request(t.app).get(`/stats/summary?month=${month}`).set(auth);
  const setHome = async (auth: Record<string, string>, currency: string) => {
    const res = await request(t.app).patch('/users/me').set(auth).send({ currency });
    expect(res.status).toBe(200);
  };

  /** An owner in EUR with November charges in five currencies (charged on creation: their dates are past). */
  async function ownerWithCharges() {
    const { auth } = await createOwner(t);
    await setHome(auth, 'EUR');
    const add = (next_payment_date: string, price: string, currency: string, category: string) =>
      createSubscription(t.app, auth, { next_payment_date, price, currency, category });
    await add('2026-11-06', '11.00', 'USD', 'video'); // Friday, USD 1.1: 10.00 EUR
    await add('2026-11-21', '12.00', 'USD', 'music'); // Saturday: Friday's USD 1.2, 10.00 EUR
    await add('2026-11-10', '5.00', 'EUR', 'music');
    await add('2026-11-06', '1600.00', 'JPY', 'games'); // JPY 160: 10.00 EUR
    await add('2026-11-10', '100.00', 'ARS', 'news'); // never published
    await add('2026-11-20', '1000.00', 'ISK', 'news'); // last published 2 November: stale
    return auth;
  }

  it('converts each past charge at its own date, lists missing and stale rates, and keeps by_currency', async () => {
    const auth = await ownerWithCharges();
    const res = await summary(auth, '2026-11');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      currency: 'EUR',
      source: 'ledger',
      total_spent: '5.00',
      by_currency: {
        USD: { total_spent: '23.00', charges_count: 2 },
        EUR: { total_spent: '5.00' },
        JPY: { total_spent: '1600.00' },
        ARS: { total_spent: '100.00' },
        ISK: { total_spent: '1000.00' },
      },
    });
    expect(res.body.home_total).toEqual({
      currency: 'EUR',
      total_spent: '35.00',
      by_category: { video: '10.00', music: '15.00', games: '10.00' },
      charges_count: 4,
      rates_as_of: '2026-11-20',
      complete: false,
      unconverted: [
        {
          currency: 'ARS',
          reason: 'missing_rate',
          rate_currency: 'ARS',
          amount: '100.00',
          charges_count: 1,
          dates: ['2026-11-10'],
        },
        {
          currency: 'ISK',
          reason: 'stale_rate',
          rate_currency: 'ISK',
          amount: '1000.00',
          charges_count: 1,
          dates: ['2026-11-20'],
        },
      ],
    });
  });

  it('a changed home currency converts the same charges into it, and relabels no stored amount', async () => {
    const auth = await ownerWithCharges();
    const before = await summary(auth, '2026-11');
    await setHome(auth, 'GBP');
    const res = await summary(auth, '2026-11');
    // Cross rates through the euro: 11 USD / 1.1 x 0.85 = 8.50 GBP; 5 EUR x 0.85 = 4.25 GBP.
    expect(res.body.home_total).toMatchObject({
      currency: 'GBP',
      total_spent: '29.75',
      by_category: { video: '8.50', music: '12.75', games: '8.50' },
      charges_count: 4,
      rates_as_of: '2026-11-20',
    });
    expect(res.body.by_currency).toEqual(before.body.by_currency);
    expect(res.body).toMatchObject({ currency: 'GBP', total_spent: '0.00' });
    const subs = await request(t.app).get('/subscriptions').set(auth);
    expect(subs.body.map((s: { currency: string }) => s.currency).sort()).toEqual([
      'ARS',
      'EUR',
      'ISK',
      'JPY',
      'USD',
      'USD',
    ]);
    const payments = await request(t.app).get('/payments').set(auth);
    expect(payments.status).toBe(200);
    expect(payments.body.every((p: { currency: string }) => p.currency !== 'GBP')).toBe(true);
  });

  it('projects future charges at the newest published rate, dated in rates_as_of', async () => {
    const auth = await ownerWithCharges();
    const res = await summary(auth, '2026-12');
    expect(res.body.source).toBe('mixed');
    // Daily rates of 2026-12-03: 11 USD / 1.21 = 9.09; 12 USD / 1.21 = 9.92; 1000 ISK / 146.10 = 6.84.
    expect(res.body.home_total).toMatchObject({
      rates_as_of: '2026-12-03',
      by_category: { video: '9.09', music: '14.92', news: '6.84' },
      unconverted: [expect.objectContaining({ currency: 'ARS', reason: 'missing_rate' })],
    });
  });

  it('answers complete, with no rate needed, when every charge is in the home currency', async () => {
    const { auth } = await createOwner(t);
    await createSubscription(t.app, auth, {
      next_payment_date: '2026-11-10',
      price: '4.00',
      currency: 'USD',
    });
    const res = await summary(auth, '2026-11');
    expect(res.body.home_total).toEqual({
      currency: 'USD',
      total_spent: '4.00',
      by_category: { video: '4.00' },
      charges_count: 1,
      rates_as_of: null,
      complete: true,
      unconverted: [],
    });
  });

  it('a rates run shows on the very next read, through the per-user cache and its ETag', async () => {
    const { auth } = await createOwner(t);
    await setHome(auth, 'EUR');
    await createSubscription(t.app, auth, {
      next_payment_date: '2026-11-10',
      price: '100.00',
      currency: 'ARS',
    });
    const before = await summary(auth, '2026-11');
    expect(before.body.home_total).toMatchObject({ total_spent: '0.00', complete: false });
    const cached = await summary(auth, '2026-11').set('If-None-Match', before.headers.etag);
    expect(cached.status).toBe(304);
    // A rates write in the same second as the read above would keep the stamp: wait for the next second.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await createExchangeRateStore(t.runtime.db).upsertDays([
      { date: '2026-11-10', rates: { ARS: '1000.00' } },
    ]);
    const after = await summary(auth, '2026-11').set('If-None-Match', before.headers.etag);
    expect(after.status).toBe(200);
    expect(after.headers.etag).not.toBe(before.headers.etag);
    expect(after.body.home_total).toMatchObject({ total_spent: '0.10', complete: true, unconverted: [] });
  });

  it('refuses a home currency that is not an ISO 4217 code', async () => {
    const { auth } = await createOwner(t);
    const res = await request(t.app).patch('/users/me').set(auth).send({ currency: 'XYZ' });
    expect(res.status).toBe(422);
    expect(res.body.errors.json).toHaveProperty('currency');
  });
});
