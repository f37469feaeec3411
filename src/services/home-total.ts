/**
 * A month's charges summed in the owner's home currency. Each charge converts at the rate of its own date (the
 * ledger row's due date, or the projected occurrence's), by src/rates/rate-table.ts; each is rounded half to
 * even to the minor unit before the sums, so categories add up to the total. A charge with no usable rate is
 * left out of the total and listed by currency and reason: never counted 1:1.
 */
import { addDays, type IsoDate } from '../time';
import { createRateTable, RATE_MAX_AGE_DAYS, type RateTable, type StoredRate } from '../rates/rate-table';

/** The category of charges whose subscription has none. */
export const UNCATEGORIZED = 'uncategorized';

export interface DatedCharge {
  dueDate: IsoDate;
  category: string | null;
  amountMinor: number;
  currency: string;
}

/** Charges of one currency that could not be converted, for one reason. */
export interface UnconvertedCharges {
  currency: string;
  reason: 'missing_rate' | 'stale_rate';
  /** The currency whose rate was missing or stale: this one, or the home currency. */
  rateCurrency: string;
  totalMinor: number;
  chargesCount: number;
  /** Their due dates, ascending, each once. */
  dates: IsoDate[];
}

export interface HomeTotal {
  currency: string;
  totalMinor: number;
  byCategory: Record<string, number>;
  /** Charges in the total (converted or already in the home currency). */
  chargesCount: number;
  /** Newest publication date of the rates used; null when no charge needed a rate. */
  ratesAsOf: IsoDate | null;
  unconverted: UnconvertedCharges[];
}

/** Reads stored rates: the port the stats service needs from the exchange rate store. */
export interface RateReader {
  ratesBetween(currencies: string[], from: IsoDate, to: IsoDate): Promise<StoredRate[]>;
}

/** The days whose rates `charges` need: each lookup date (a future one counts as today) back a stale window. */
function rateWindow(charges: readonly DatedCharge[], home: string, today: IsoDate) {
  const foreign = charges.filter((c) => c.currency !== home);
  if (!foreign.length) return undefined;
  const lookups = foreign.map((c) => (c.dueDate > today ? today : c.dueDate)).sort();
  const currencies = [...new Set([home, ...foreign.map((c) => c.currency)])].filter((c) => c !== 'EUR');
  return { currencies, from: addDays(lookups[0]!, -RATE_MAX_AGE_DAYS), to: lookups[lookups.length - 1]! };
}

/** Loads the rates `charges` need (none when all are in `home`) and sums them in `home`. */
export async function homeTotalOf(
  reader: RateReader,
  charges: readonly DatedCharge[],
  home: string,
  today: IsoDate,
): Promise<HomeTotal> {
  const window = rateWindow(charges, home, today);
  const rows = window ? await reader.ratesBetween(window.currencies, window.from, window.to) : [];
  return sumInHome(createRateTable(rows), charges, home, today);
}

/** Pure: `charges` summed in `home` with `rates`. */
export function sumInHome(
  rates: RateTable,
  charges: readonly DatedCharge[],
  home: string,
  today: IsoDate,
): HomeTotal {
  const total: HomeTotal = {
    currency: home,
    totalMinor: 0,
    byCategory: {},
    chargesCount: 0,
    ratesAsOf: null,
    unconverted: [],
  };
  const missed = new Map<string, UnconvertedCharges & { dateSet: Set<IsoDate> }>();
  for (const charge of charges) {
    const result = rates.convert(charge.amountMinor, charge.currency, home, charge.dueDate, today);
    if (!result.ok) {
      const key = `${charge.currency}:${result.reason}:${result.currency}`;
      const group = missed.get(key) ?? {
        currency: charge.currency,
        reason: result.reason,
        rateCurrency: result.currency,
        totalMinor: 0,
        chargesCount: 0,
        dates: [],
        dateSet: new Set<IsoDate>(),
      };
      group.totalMinor += charge.amountMinor;
      group.chargesCount += 1;
      group.dateSet.add(charge.dueDate);
      missed.set(key, group);
      continue;
    }
    const category = charge.category ?? UNCATEGORIZED;
    total.totalMinor += result.minor;
    total.byCategory[category] = (total.byCategory[category] ?? 0) + result.minor;
    total.chargesCount += 1;
    if (result.asOf && (!total.ratesAsOf || result.asOf > total.ratesAsOf)) total.ratesAsOf = result.asOf;
  }
  total.unconverted = [...missed.values()]
    .map(({ dateSet, ...group }) => ({ ...group, dates: [...dateSet].sort() }))
    .sort((a, b) => a.currency.localeCompare(b.currency) || a.reason.localeCompare(b.reason));
  return total;
}
