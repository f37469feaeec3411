/**
 * Dated euro reference rates in memory, and the conversion of an amount between two currencies at a date.
 * Pure: the stats service loads the rows it needs and asks this module; tests feed it rows directly.
 *
 * Rule: an amount dated D converts at the latest rate published on or before D (the ECB publishes on TARGET
 * business days only: a weekend charge takes Friday's rate), crossing through the euro:
 * `to = from_amount × rate(to) / rate(from)`, where rate(EUR) = 1. A rate published more than
 * RATE_MAX_AGE_DAYS before the day it is needed for is stale, and the amount is not converted (never 1:1).
 * For a date after today the newest rate there is stands in, its age counted from today.
 */
import Decimal from 'decimal.js';
import { addDays, compareDates, type IsoDate } from '../time';

/** The ECB's longest break between publications is Easter (Thursday to Tuesday); a week tolerates one miss. */
export const RATE_MAX_AGE_DAYS = 7;

/** Conversions divide by a rate: forty significant digits keep the quotient exact to far below a minor unit. */
const Exact = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_EVEN });

export interface StoredRate {
  date: IsoDate;
  currency: string;
  /** Units per euro, decimal text. */
  rate: string;
}

export type Conversion =
  | {
      ok: true;
      minor: number;
      /** Newest publication date used, null when no rate was needed. */
      asOf: IsoDate | null;
    }
  | {
      ok: false;
      reason: 'missing_rate' | 'stale_rate';
      /** The currency whose rate was missing or stale. */
      currency: string;
    };

export interface RateTable {
  /** The latest rate of `currency` on or before `date`, or undefined. EUR is always 1, dated `date`. */
  latestOnOrBefore(currency: string, date: IsoDate): { date: IsoDate; rate: Decimal } | undefined;
  /**
   * `amountMinor` of `from` in minor units of `to` at `date`, rounded half to even to the minor unit.
   * `today` bounds the date a rate is looked up for (a future charge takes today's newest rate).
   */
  convert(amountMinor: number, from: string, to: string, date: IsoDate, today: IsoDate): Conversion;
}

export function createRateTable(rows: readonly StoredRate[]): RateTable {
  // Per currency, dates ascending, for a binary search.
  const byCurrency = new Map<string, { date: IsoDate; rate: Decimal }[]>();
  for (const row of rows) {
    const list = byCurrency.get(row.currency) ?? [];
    list.push({ date: row.date, rate: new Exact(row.rate) });
    byCurrency.set(row.currency, list);
  }
  for (const list of byCurrency.values()) list.sort((a, b) => compareDates(a.date, b.date));

  function latestOnOrBefore(currency: string, date: IsoDate) {
    if (currency === 'EUR') return { date, rate: new Exact(1) };
    const list = byCurrency.get(currency);
    if (!list) return undefined;
    let lo = 0;
    let hi = list.length; // first index whose date is after `date`
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid]!.date <= date) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? undefined : list[lo - 1];
  }

  function convert(amountMinor: number, from: string, to: string, date: IsoDate, today: IsoDate): Conversion {
    if (from === to) return { ok: true, minor: amountMinor, asOf: null };
    const lookup = date > today ? today : date;
    const oldest = addDays(lookup, -RATE_MAX_AGE_DAYS);
    let asOf: IsoDate | null = null;
    const rates: Decimal[] = [];
    for (const currency of [from, to]) {
      const found = latestOnOrBefore(currency, lookup);
      if (!found) return { ok: false, reason: 'missing_rate', currency };
      if (currency === 'EUR') {
        rates.push(found.rate);
        continue;
      }
      if (found.date < oldest) return { ok: false, reason: 'stale_rate', currency };
      if (asOf === null || found.date > asOf) asOf = found.date;
      rates.push(found.rate);
    }
    const [fromRate, toRate] = rates as [Decimal, Decimal];
    const minor = new Exact(amountMinor)
      .times(toRate)
      .div(fromRate)
      .toDecimalPlaces(0, Decimal.ROUND_HALF_EVEN);
    return { ok: true, minor: minor.toNumber(), asOf };
  }

  return { latestOnOrBefore, convert };
}
