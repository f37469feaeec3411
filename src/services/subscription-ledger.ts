/** The payments ledger as its owner reads it: per subscription, or per month. */
import { Op, type WhereOptions } from 'sequelize';
import type { Database } from '../db/database';
import type { Payment } from '../db/models';
import { monthBounds, type IsoMonth } from '../time';
import { orderOf, type Paged, type PageQuery } from './subscription-paging';

export const PAYMENT_SORTS = { id: 'id', due_date: 'dueDate', amount: 'amountMinor', name: 'name' } as const;
export type PaymentSort = keyof typeof PAYMENT_SORTS;

export function createLedgerService(deps: { db: Database }) {
  const { Payment } = deps.db.models;

  /** The owner's ledger rows, optionally of one subscription or one month (by due date). */
  async function list(
    userId: number,
    query: PageQuery<PaymentSort>,
    filter: { subscriptionId?: number; month?: IsoMonth } = {},
  ): Promise<Paged<Payment>> {
    const where: WhereOptions<Payment> = { userId };
    if (filter.subscriptionId !== undefined) Object.assign(where, { subscriptionId: filter.subscriptionId });
    if (filter.month !== undefined) {
      const { first, last } = monthBounds(filter.month);
      Object.assign(where, { dueDate: { [Op.between]: [first, last] } });
    }
    const { rows, count } = await Payment.findAndCountAll({
      where,
      order: orderOf(PAYMENT_SORTS[query.sort.field], query.sort.descending),
      offset: query.offset,
      limit: query.limit,
    });
    return { items: rows, total: count };
  }

  /** Every row of the owner's month, for the monthly totals. */
  async function ofMonth(userId: number, month: IsoMonth): Promise<Payment[]> {
    const { first, last } = monthBounds(month);
    return Payment.findAll({
      where: { userId, dueDate: { [Op.between]: [first, last] } },
      order: [['id', 'ASC']],
    });
  }

  return { list, ofMonth };
}

export type LedgerService = ReturnType<typeof createLedgerService>;
