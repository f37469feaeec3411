/**
 * The per-user data version (users.data_version): every write that changes what a user's upcoming charges
 * or monthly summary show bumps it in the same transaction, and readers key their caches and ETags by it.
 * Inside a transaction, bump first: the users row is then locked before any child row, so two writers of one
 * user queue instead of deadlocking on the foreign keys' shared locks. Without a transaction, bump after the
 * write: a reader must never see the new version with the old data.
 */
import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';

/** Bumps the data version of `userIds` (any order, duplicates allowed), inside `transaction` when given. */
export async function bumpDataVersion(
  sequelize: Sequelize,
  userIds: Iterable<number>,
  transaction?: Transaction | null,
): Promise<void> {
  // Sorted: two transactions bumping overlapping users lock them in the same order.
  const ids = [...new Set(userIds)].filter((id) => Number.isInteger(id)).sort((a, b) => a - b);
  if (ids.length === 0) return;
  await sequelize.query('UPDATE users SET data_version = data_version + 1 WHERE id IN (:ids)', {
    type: QueryTypes.UPDATE,
    replacements: { ids },
    transaction: transaction ?? undefined,
  });
}
