/**
 * Monthly spending (docs/http-api.md): past months from the ledger, future months by projecting the active
 * subscriptions' occurrences, the current month (owner's zone) both. `byCurrency` never adds currencies
 * together; `home` converts each charge at the ECB rate of its due date (home-total.ts), or lists it as unconverted.
 */
import { NotFoundError } from '../errors';
import { compareDates, localDate, localMonth, maxDate, monthBounds, monthlyEquivalentMinor } from '../time';
import type { EpochMs, IsoMonth } from '../time';
import type { AdvanceService } from './advance-service';
import { homeTotalOf, UNCATEGORIZED, type HomeTotal, type RateReader } from './home-total';
import type { OwnerSubscriptionsStore } from './owner-subscriptions-store';
import { chargeDatesWithin } from './subscription-schedule';

export { UNCATEGORIZED };

/** Totals of one currency, in minor units. */
export interface CurrencyTotals {
  totalMinor: number;
  byCategory: Record<string, number>;
  chargesCount: number;
  /** Active subscriptions' cost per month. */
  monthlyEquivalentMinor: number;
}

export interface MonthlySummary {
  month: IsoMonth;
  /** The owner's currency: the top-level totals are in it. */
  currency: string;
  source: 'ledger' | 'projection' | 'mixed';
  byCurrency: Record<string, CurrencyTotals>;
  /** Every charge in the owner's (home) currency, at the rate of its date. */
  home: HomeTotal;
}

interface Charge {
  subscriptionId: number | null;
  dueDate: string;
  category: string | null;
  amountMinor: number;
  currency: string;
}

export function createStatsService(deps: {
  store: OwnerSubscriptionsStore;
  now: () => EpochMs;
  advance: AdvanceService;
  rates: RateReader;
}) {
  /** The owner's settings and active subscriptions, in one round trip. */
  async function ownerWithActive(userId: number) {
    const found = await deps.store.ownerWithActive(userId);
    if (!found) throw new NotFoundError('User not found.', 'user_not_found');
    return found;
  }

  async function summary(userId: number, requested?: IsoMonth): Promise<MonthlySummary> {
    let { owner, active } = await ownerWithActive(userId);
    const now = deps.now();
    const current = localMonth(now, owner.timezone);
    const month = requested ?? current;
    const order = compareDates(`${month}-01`, `${current}-01`);
    // The ledger must hold every charge already due before it is read. Only an active subscription whose
    // next payment date is before the owner's today is due: most reads find none and skip the advance scan.
    const today = localDate(now, owner.timezone);
    if (order <= 0 && active.some((sub) => sub.nextPaymentDate < today)) {
      await deps.advance.advanceDue({ now, userId });
      ({ owner, active } = await ownerWithActive(userId));
    }
    const { first, last } = monthBounds(month);
    const charges: Charge[] = order <= 0 ? await deps.store.ledgerBetween(userId, first, last) : [];
    if (order >= 0) {
      const booked = new Set(charges.map((c) => `${c.subscriptionId}:${c.dueDate}`));
      for (const sub of active) {
        for (const dueDate of chargeDatesWithin(sub, maxDate(first, sub.nextPaymentDate), last)) {
          if (booked.has(`${sub.id}:${dueDate}`)) continue;
          const { category, priceMinor: amountMinor, currency } = sub;
          charges.push({ subscriptionId: sub.id, dueDate, category, amountMinor, currency });
        }
      }
    }
    const byCurrency: Record<string, CurrencyTotals> = {};
    const totalsOf = (currency: string) =>
      (byCurrency[currency] ??= {
        totalMinor: 0,
        byCategory: {},
        chargesCount: 0,
        monthlyEquivalentMinor: 0,
      });
    for (const charge of charges) {
      const totals = totalsOf(charge.currency);
      const category = charge.category ?? UNCATEGORIZED;
      totals.totalMinor += charge.amountMinor;
      totals.byCategory[category] = (totals.byCategory[category] ?? 0) + charge.amountMinor;
      totals.chargesCount += 1;
    }
    for (const sub of active) {
      totalsOf(sub.currency).monthlyEquivalentMinor += monthlyEquivalentMinor(
        sub.priceMinor,
        sub.billingCycle,
        sub.billingInterval,
      );
    }
    const source = order < 0 ? 'ledger' : order > 0 ? 'projection' : 'mixed';
    const home = await homeTotalOf(deps.rates, charges, owner.currency, today);
    return { month, currency: owner.currency, source, byCurrency, home };
  }

  return { summary };
}

export type StatsService = ReturnType<typeof createStatsService>;
