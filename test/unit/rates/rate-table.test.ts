import { createRateTable, type StoredRate } from '../../../src/rates/rate-table';

const rate = (date: string, currency: string, value: string): StoredRate => ({ date, currency, rate: value });

// Thursday 2026-11-19 and Friday 2026-11-20 published; nothing on the weekend.
const rows = [
  rate('2026-11-19', 'USD', '1.1000'),
  rate('2026-11-20', 'USD', '1.2000'),
  rate('2026-11-20', 'GBP', '0.85000'),
  rate('2026-11-20', 'JPY', '160.00'),
  rate('2026-11-19', 'GBP', '0.84000'),
];
const today = '2026-12-04';

describe('rate table', () => {
  const table = createRateTable(rows);

  it('looks up the latest rate on or before a date: a weekend takes Friday, a day before any has none', () => {
    expect(table.latestOnOrBefore('USD', '2026-11-19')).toMatchObject({ date: '2026-11-19' });
    expect(table.latestOnOrBefore('USD', '2026-11-22')).toMatchObject({ date: '2026-11-20' });
    expect(table.latestOnOrBefore('USD', '2026-11-18')).toBeUndefined();
    expect(table.latestOnOrBefore('CHF', '2026-11-22')).toBeUndefined();
    expect(table.latestOnOrBefore('EUR', '1990-01-01')!.rate.toString()).toBe('1');
  });

  it('converts into the euro by dividing by the rate of the charge date, never backwards', () => {
    // 12.00 USD on Friday at 1.2 USD per euro is 10.00 EUR (not 14.40).
    expect(table.convert(1200, 'USD', 'EUR', '2026-11-20', today)).toEqual({
      ok: true,
      minor: 1000,
      asOf: '2026-11-20',
    });
    // The same amount a day earlier, at 1.1: 10.909... EUR, rounded to 10.91.
    expect(table.convert(1200, 'USD', 'EUR', '2026-11-19', today)).toEqual({
      ok: true,
      minor: 1091,
      asOf: '2026-11-19',
    });
  });

  it('converts out of the euro by multiplying, and a Sunday charge at Friday rates', () => {
    expect(table.convert(1000, 'EUR', 'JPY', '2026-11-22', today)).toEqual({
      ok: true,
      minor: 160_000,
      asOf: '2026-11-20',
    });
  });

  it('crosses two foreign currencies through the euro', () => {
    // 11.00 USD -> 11 / 1.2 EUR -> x 0.85 GBP = 7.7916... GBP, rounded 7.79.
    expect(table.convert(1100, 'USD', 'GBP', '2026-11-20', today)).toEqual({
      ok: true,
      minor: 779,
      asOf: '2026-11-20',
    });
    // 1,600.00 JPY = 10 EUR = 8.50 GBP.
    expect(table.convert(160_000, 'JPY', 'GBP', '2026-11-21', today)).toMatchObject({ ok: true, minor: 850 });
  });

  it('rounds half to even at the minor unit, exactly (no float drift)', () => {
    const half = createRateTable([rate('2026-11-20', 'XAU', '2'), rate('2026-11-20', 'XAG', '0.1')]);
    // 5 / 2 = 2.5 -> 2; 15 / 2 = 7.5 -> 8; 7 / 2 = 3.5 -> 4.
    expect(half.convert(5, 'XAU', 'EUR', '2026-11-20', today)).toMatchObject({ minor: 2 });
    expect(half.convert(15, 'XAU', 'EUR', '2026-11-20', today)).toMatchObject({ minor: 8 });
    expect(half.convert(7, 'XAU', 'EUR', '2026-11-20', today)).toMatchObject({ minor: 4 });
    // 0.1 is not exact in binary; 3 x 0.1 must be 0.3, so 3 minor EUR -> 0.3 -> 0 and 25 -> 2.5 -> 2.
    expect(half.convert(3, 'EUR', 'XAG', '2026-11-20', today)).toMatchObject({ minor: 0 });
    expect(half.convert(25, 'EUR', 'XAG', '2026-11-20', today)).toMatchObject({ minor: 2 });
    // A large amount stays exact: 99,999,999.99 USD at 1.2 is 83,333,333.325 EUR -> 83,333,333.32.
    expect(table.convert(9_999_999_999, 'USD', 'EUR', '2026-11-20', today)).toMatchObject({
      minor: 8_333_333_332,
    });
  });

  it('leaves the home currency as is, with no rate needed', () => {
    expect(createRateTable([]).convert(999, 'ARS', 'ARS', '2026-11-20', today)).toEqual({
      ok: true,
      minor: 999,
      asOf: null,
    });
  });

  it('names the currency whose rate is missing, the charge currency or the home one', () => {
    expect(table.convert(100, 'ARS', 'EUR', '2026-11-20', today)).toEqual({
      ok: false,
      reason: 'missing_rate',
      currency: 'ARS',
    });
    expect(table.convert(100, 'USD', 'CHF', '2026-11-20', today)).toEqual({
      ok: false,
      reason: 'missing_rate',
      currency: 'CHF',
    });
    // Before the first stored rate: missing, not the first rate.
    expect(table.convert(100, 'USD', 'EUR', '2026-11-01', today)).toMatchObject({ reason: 'missing_rate' });
  });

  it('refuses a rate more than seven days older than the date, and counts a future date from today', () => {
    expect(table.convert(1200, 'USD', 'EUR', '2026-11-27', today)).toMatchObject({ ok: true, minor: 1000 });
    expect(table.convert(1200, 'USD', 'EUR', '2026-11-28', today)).toEqual({
      ok: false,
      reason: 'stale_rate',
      currency: 'USD',
    });
    // A charge next month, asked on 2026-11-23: the newest rate (Friday's) stands in.
    expect(table.convert(1200, 'USD', 'EUR', '2027-01-15', '2026-11-23')).toEqual({
      ok: true,
      minor: 1000,
      asOf: '2026-11-20',
    });
    // The same charge asked on 2026-12-04: Friday 2026-11-20 is two weeks old by then.
    expect(table.convert(1200, 'USD', 'EUR', '2027-01-15', '2026-12-04')).toMatchObject({
      reason: 'stale_rate',
    });
  });
});
