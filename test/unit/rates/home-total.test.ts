import { sumInHome, type DatedCharge } from '../../../src/services/home-total';
import { createRateTable } from '../../../src/rates/rate-table';

const rates = createRateTable([
  { date: '2026-11-20', currency: 'USD', rate: '1.2000' },
  { date: '2026-11-20', currency: 'GBP', rate: '0.85000' },
  { date: '2026-11-02', currency: 'ISK', rate: '145.00' },
]);
const charge = (dueDate: string, amountMinor: number, currency: string, category: string | null = 'video') =>
  ({ dueDate, amountMinor, currency, category }) satisfies DatedCharge;

describe('sumInHome', () => {
  it('sums converted charges per category, each rounded first so the categories add up to the total', () => {
    const total = sumInHome(
      rates,
      [
        charge('2026-11-20', 100, 'USD'), // 0.8333 -> 0.83
        charge('2026-11-21', 100, 'USD'), // 0.83
        charge('2026-11-22', 100, 'USD', null), // 0.83
        charge('2026-11-23', 500, 'EUR', 'music'),
      ],
      'EUR',
      '2026-12-01',
    );
    expect(total).toEqual({
      currency: 'EUR',
      totalMinor: 83 * 3 + 500,
      byCategory: { video: 166, uncategorized: 83, music: 500 },
      chargesCount: 4,
      ratesAsOf: '2026-11-20',
      unconverted: [],
    });
  });

  it('lists what it cannot convert, by currency and reason with its dates, and leaves it out of the total', () => {
    const total = sumInHome(
      rates,
      [
        charge('2026-11-20', 1200, 'USD'),
        charge('2026-11-10', 5000, 'ARS'),
        charge('2026-11-12', 5000, 'ARS'),
        charge('2026-11-12', 2500, 'ARS'),
        charge('2026-11-20', 1000, 'ISK'),
      ],
      'EUR',
      '2026-12-01',
    );
    expect(total.totalMinor).toBe(1000);
    expect(total.chargesCount).toBe(1);
    expect(total.unconverted).toEqual([
      {
        currency: 'ARS',
        reason: 'missing_rate',
        rateCurrency: 'ARS',
        totalMinor: 12_500,
        chargesCount: 3,
        dates: ['2026-11-10', '2026-11-12'],
      },
      {
        currency: 'ISK',
        reason: 'stale_rate',
        rateCurrency: 'ISK',
        totalMinor: 1000,
        chargesCount: 1,
        dates: ['2026-11-20'],
      },
    ]);
  });

  it('with a home currency nobody publishes, every foreign charge is listed, and home ones still count', () => {
    const total = sumInHome(
      rates,
      [charge('2026-11-20', 1200, 'USD'), charge('2026-11-20', 700, 'ARS')],
      'ARS',
      '2026-12-01',
    );
    expect(total).toMatchObject({ totalMinor: 700, chargesCount: 1, ratesAsOf: null });
    expect(total.unconverted).toEqual([
      expect.objectContaining({ currency: 'USD', reason: 'missing_rate', rateCurrency: 'ARS' }),
    ]);
  });
});
