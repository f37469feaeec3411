/**
 * The stored ECB euro reference rates: the rates schedule writes whole fetches at once, the stats service reads
 * the few currencies and days a summary needs.
 */
import { Op, QueryTypes } from 'sequelize';
import type { Database } from '../db/database';
import { rawDate, rawDateOnly } from '../db/raw-values';
import type { RateDay } from '../rates/rate-day';
import type { StoredRate } from '../rates/rate-table';

/** Rows per INSERT: well under both dialects' placeholder limits. */
const CHUNK = 500;

export function createExchangeRateStore(db: Database) {
  const { ExchangeRate } = db.models;

  /**
   * Inserts or overwrites every rate of `days` in one transaction: a failure stores none of them. Idempotent
   * (a rerun writes the same values). Returns the number of rates written.
   */
  async function upsertDays(days: readonly RateDay[]): Promise<number> {
    const rows = days.flatMap(({ date, rates }) =>
      Object.entries(rates).map(([currency, rate]) => ({ rateDate: date, currency, rate })),
    );
    await db.sequelize.transaction(async (transaction) => {
      for (let i = 0; i < rows.length; i += CHUNK) {
        await ExchangeRate.bulkCreate(rows.slice(i, i + CHUNK), {
          transaction,
          updateOnDuplicate: ['rate', 'updatedAt'],
        });
      }
    });
    return rows.length;
  }

  /** The publication days with stored rates from `from` to `to` (inclusive), ascending. */
  async function datesBetween(from: string, to: string): Promise<string[]> {
    const rows = await db.sequelize.query<{ rate_date: unknown }>(
      `SELECT DISTINCT rate_date FROM exchange_rates WHERE rate_date BETWEEN :from AND :to ORDER BY rate_date`,
      { type: QueryTypes.SELECT, replacements: { from, to } },
    );
    return rows.map((r) => rawDateOnly(r.rate_date));
  }

  /** The stored rates of `currencies` from `from` to `to` (inclusive). */
  async function ratesBetween(currencies: string[], from: string, to: string): Promise<StoredRate[]> {
    if (!currencies.length) return [];
    const rows = await ExchangeRate.findAll({
      attributes: ['rateDate', 'currency', 'rate'],
      where: { currency: { [Op.in]: currencies }, rateDate: { [Op.between]: [from, to] } },
      raw: true,
    });
    return rows.map((r) => ({ date: rawDateOnly(r.rateDate), currency: r.currency, rate: r.rate }));
  }

  /** When a rate was last written (null before the first fetch): changes whenever any stored rate may have. */
  async function lastWrittenAt(): Promise<Date | null> {
    const [row] = await db.sequelize.query<{ at: unknown }>(
      `SELECT MAX(updated_at) AS at FROM exchange_rates`,
      {
        type: QueryTypes.SELECT,
      },
    );
    return rawDate(row?.at ?? null);
  }

  return { upsertDays, datesBetween, ratesBetween, lastWrittenAt };
}

export type ExchangeRateStore = ReturnType<typeof createExchangeRateStore>;
