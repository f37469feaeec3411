import { proxyActivities } from '@temporalio/workflow';
import type { ExchangeRateActivities } from '../activities/exchange-rate-activities';
import type { RateDay } from '../src/rates/rate-day';
import {
  EXCHANGE_RATES_GAP_WINDOW_DAYS,
  type ExchangeRatesInput,
  type ExchangeRatesResult,
} from '../src/temporal/contract';
import { addDays, targetBusinessDays } from '../src/time';
import { DATABASE_RETRY } from './database-retry';

// The source may be down for a while; after about 15 minutes of retries the run fails, visibly in the Web UI,
// and tomorrow's run (which fills the gap from the history file) is the next try.
const { fetchEcbRates } = proxyActivities<ExchangeRateActivities>({
  startToCloseTimeout: '1m',
  retry: {
    initialInterval: '30s',
    backoffCoefficient: 2,
    maximumInterval: '5m',
    maximumAttempts: 5,
  },
});
const { storedRateDates, storeExchangeRates } = proxyActivities<ExchangeRateActivities>({
  startToCloseTimeout: '1m',
  retry: DATABASE_RETRY,
});

/**
 * The exchange-rates schedule's run: reads the ECB's daily reference rates; when any TARGET business day of
 * the last EXCHANGE_RATES_GAP_WINDOW_DAYS has no stored rates (first run, missed runs), reads the 90-day history
 * too; then stores everything read in one transaction, so a failed run stores nothing and a rerun changes nothing.
 */
export async function exchangeRatesWorkflow(_input: ExchangeRatesInput = {}): Promise<ExchangeRatesResult> {
  const daily = await fetchEcbRates('daily');
  const newestDate = daily.map((d) => d.date).reduce((a, b) => (a > b ? a : b));
  const from = addDays(newestDate, -EXCHANGE_RATES_GAP_WINDOW_DAYS);
  const known = new Set([...(await storedRateDates(from, newestDate)), ...daily.map((d) => d.date)]);
  const missingDays = targetBusinessDays(from, newestDate).filter((d) => !known.has(d)).length;
  const byDate = new Map<string, RateDay>();
  if (missingDays > 0) for (const day of await fetchEcbRates('history')) byDate.set(day.date, day);
  // The daily document is the newer publication: it wins over the history's copy of the same day.
  for (const day of daily) byDate.set(day.date, day);
  const days = [...byDate.values()];
  const ratesWritten = await storeExchangeRates(days);
  return { newestDate, missingDays, historyFetched: missingDays > 0, daysWritten: days.length, ratesWritten };
}
