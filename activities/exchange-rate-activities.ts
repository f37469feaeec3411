import { ApplicationFailure } from '@temporalio/activity';
import { EcbFormatError, parseEcbRates } from '../src/rates/ecb-xml';
import { fetchEcbDocument, type FetchText } from '../src/rates/ecb-fetch';
import type { RateDay } from '../src/rates/rate-day';
import type { EcbRatesSource } from '../src/temporal/contract';

/** Where the rates come from and where they go; absent on a worker that does not fetch rates. */
export interface ExchangeRateActivityDeps {
  exchangeRates?: {
    store: {
      upsertDays(days: readonly RateDay[]): Promise<number>;
      datesBetween(from: string, to: string): Promise<string[]>;
    };
    /** EXCHANGE_RATES_DAILY_URL and EXCHANGE_RATES_HISTORY_URL. */
    urls: Record<EcbRatesSource, string>;
    /** HTTP GET of a document (default: fetch); tests may pass another. */
    fetchText?: FetchText;
  };
}

export function createExchangeRateActivities(deps: ExchangeRateActivityDeps) {
  const configured = () => {
    if (!deps.exchangeRates)
      throw ApplicationFailure.nonRetryable(
        'This worker has no exchange rate store configured.',
        'NotConfigured',
      );
    return deps.exchangeRates;
  };
  return {
    /**
     * Downloads and parses one ECB document. Unreachable or an HTTP error: a plain error, retried by the
     * workflow's policy. A document that is not the ECB's format: non-retryable (the next try would read the same).
     */
    async fetchEcbRates(source: EcbRatesSource): Promise<RateDay[]> {
      const { urls, fetchText = fetchEcbDocument } = configured();
      const xml = await fetchText(urls[source]);
      try {
        return parseEcbRates(xml);
      } catch (err) {
        if (err instanceof EcbFormatError) throw ApplicationFailure.nonRetryable(err.message, err.name);
        throw err;
      }
    },
    /** Publication days already stored from `from` to `to` (inclusive). */
    async storedRateDates(from: string, to: string): Promise<string[]> {
      return configured().store.datesBetween(from, to);
    },
    /** Writes every rate of `days` in one transaction (idempotent); returns how many. */
    async storeExchangeRates(days: RateDay[]): Promise<number> {
      return configured().store.upsertDays(days);
    },
  };
}

export type ExchangeRateActivities = ReturnType<typeof createExchangeRateActivities>;
