import { Op } from 'sequelize';
import type { Database } from '../db/database';
import type { Subscription } from '../db/models';

/** Rows read per query: an export of any size holds at most this many models in memory. */
export const EXPORT_PAGE_SIZE = 500;

/** Reads a user's subscriptions for export, in id order, one keyset page at a time. */
export function createSubscriptionExport(deps: { db: Database; pageSize?: number }) {
  const { Subscription } = deps.db.models;
  const pageSize = deps.pageSize ?? EXPORT_PAGE_SIZE;

  function page(userId: number, afterId: number): Promise<Subscription[]> {
    return Subscription.findAll({
      where: { userId, id: { [Op.gt]: afterId } },
      order: [['id', 'ASC']],
      limit: pageSize,
    });
  }

  /**
   * The first page is read before anything is returned, so a database outage still answers 503 in the
   * error envelope; later pages stream as the client reads.
   */
  async function open(userId: number): Promise<AsyncIterable<Subscription>> {
    const first = await page(userId, 0);
    return (async function* rows() {
      let current = first;
      while (current.length > 0) {
        yield* current;
        if (current.length < pageSize) return;
        current = await page(userId, current[current.length - 1]!.id);
      }
    })();
  }

  return { open };
}

export type SubscriptionExport = ReturnType<typeof createSubscriptionExport>;
