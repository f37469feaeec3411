import { formatMoney } from '../../services/money';
import type { HomeTotal } from '../../services/home-total';
import type { CurrencyTotals, MonthlySummary } from '../../services/stats-service';

const EMPTY: CurrencyTotals = { totalMinor: 0, byCategory: {}, chargesCount: 0, monthlyEquivalentMinor: 0 };

function presentTotals(totals: CurrencyTotals) {
  return {
    total_spent: formatMoney(totals.totalMinor),
    by_category: money(totals.byCategory),
    charges_count: totals.chargesCount,
    monthly_equivalent: formatMoney(totals.monthlyEquivalentMinor),
  };
}

const money = (byKey: Record<string, number>) =>
  Object.fromEntries(Object.entries(byKey).map(([key, minor]) => [key, formatMoney(minor)]));

/** Every charge in the home currency at its date's rate; `complete` is false when some could not be converted. */
function presentHomeTotal(home: HomeTotal) {
  return {
    currency: home.currency,
    total_spent: formatMoney(home.totalMinor),
    by_category: money(home.byCategory),
    charges_count: home.chargesCount,
    rates_as_of: home.ratesAsOf,
    complete: home.unconverted.length === 0,
    unconverted: home.unconverted.map((u) => ({
      currency: u.currency,
      reason: u.reason,
      rate_currency: u.rateCurrency,
      amount: formatMoney(u.totalMinor),
      charges_count: u.chargesCount,
      dates: u.dates,
    })),
  };
}

/** The seed's `{month, total_spent, by_category}` in the owner's currency, plus every currency apart. */
export function presentSummary(summary: MonthlySummary) {
  const own = presentTotals(summary.byCurrency[summary.currency] ?? EMPTY);
  return {
    month: summary.month,
    currency: summary.currency,
    total_spent: own.total_spent,
    by_category: own.by_category,
    charges_count: own.charges_count,
    source: summary.source,
    by_currency: Object.fromEntries(
      Object.entries(summary.byCurrency).map(([currency, totals]) => [currency, presentTotals(totals)]),
    ),
    monthly_equivalent: own.monthly_equivalent,
    home_total: presentHomeTotal(summary.home),
  };
}
