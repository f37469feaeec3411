import { formatMoney } from '../../services/money';
import type { CurrencyTotals, MonthlySummary } from '../../services/stats-service';

const EMPTY: CurrencyTotals = { totalMinor: 0, byCategory: {}, chargesCount: 0, monthlyEquivalentMinor: 0 };

function presentTotals(totals: CurrencyTotals) {
  return {
    total_spent: formatMoney(totals.totalMinor),
    by_category: Object.fromEntries(
      Object.entries(totals.byCategory).map(([category, minor]) => [category, formatMoney(minor)]),
    ),
    charges_count: totals.chargesCount,
    monthly_equivalent: formatMoney(totals.monthlyEquivalentMinor),
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
  };
}
