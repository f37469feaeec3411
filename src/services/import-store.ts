/** The database side of the import activities (activities/import-activities.ts). */
import type { ImportStore, RowOutcome } from '../../activities/import-activities';
import type { Database } from '../db/database';
import { isUniqueViolation } from '../db/errors';
import type { Subscription } from '../db/models';
import { normaliseKey } from '../db/normalise-key';
import type { ParsedRow } from '../import/import-record';
import type { ImportedSubscription } from '../import/validate-record';
import { addDays, compareDates, localDate, type EpochMs } from '../time';
import type { AdvanceService } from './advance-service';
import { OWNER_ATTRIBUTES, type Owner } from './subscription-schedule';
import { MAX_PAST_DAYS } from './subscription-service';

const WITHOUT_ROWS = { exclude: ['rows'] };

export function createImportStore(deps: {
  db: Database;
  now: () => EpochMs;
  advance: AdvanceService;
  /** Subscriptions one user may hold (MAX_SUBSCRIPTIONS_PER_USER): rows past it are refused. */
  maxPerUser: number;
}): ImportStore {
  const { sequelize } = deps.db;
  const { SubscriptionImport, ImportKey, Subscription, User } = deps.db.models;

  const ownerOf = (userId: number): Promise<Owner | null> =>
    User.findByPk(userId, { attributes: [...OWNER_ATTRIBUTES] });

  /** Books the charges of a past next payment date, as creating one through the API does; idempotent. */
  async function advanceCreated(sub: Subscription, owner: Owner): Promise<void> {
    await deps.advance.advanceSubscription(sub, owner, deps.now());
  }

  /** Why the service would refuse it (date too old, quota, name taken), or undefined. */
  async function refusal(userId: number, sub: ImportedSubscription, owner: Owner) {
    const earliest = addDays(localDate(deps.now(), owner.timezone), -MAX_PAST_DAYS);
    if (compareDates(sub.nextPaymentDate, earliest) < 0)
      return {
        field: 'next_payment_date',
        message: `must be on or after ${earliest} (at most ${MAX_PAST_DAYS} days ago)`,
      };
    if ((await Subscription.count({ where: { userId } })) >= deps.maxPerUser)
      return { field: 'row', message: `You have reached the limit of ${deps.maxPerUser} subscriptions.` };
    const taken = await Subscription.findOne({
      where: { userId, nameKey: normaliseKey(sub.name) },
      attributes: ['id'],
    });
    if (taken) return { field: 'name', message: 'You already have a subscription with this name.' };
    return undefined;
  }

  /** A key already there: this very row's (an earlier attempt created it) or another row's (a duplicate). */
  async function existingKey(
    importId: number,
    row: number,
    userId: number,
    key: string,
    owner: Owner,
  ): Promise<RowOutcome | undefined> {
    const found = await ImportKey.findOne({ where: { userId, contentKey: key } });
    if (!found) return undefined;
    if (found.importId !== importId || found.importRow !== row) return { kind: 'duplicate' };
    const sub = await Subscription.findByPk(found.subscriptionId);
    if (sub) await advanceCreated(sub, owner);
    return { kind: 'created' };
  }

  return {
    async loadPage(importId, size) {
      const found = await SubscriptionImport.findByPk(importId);
      if (!found) return null;
      const rows = found.rows as ParsedRow[];
      return {
        userId: found.userId,
        status: found.status,
        from: found.nextRow,
        totalRows: found.totalRows,
        rows: rows.slice(found.nextRow, found.nextRow + size),
      };
    },

    async createRow({ importId, row: fileRow, userId, subscription: sub, key }) {
      const owner = await ownerOf(userId);
      if (!owner) return { kind: 'refused', field: 'row', message: 'The account no longer exists.' };
      const existing = await existingKey(importId, fileRow, userId, key, owner);
      if (existing) return existing;
      const refused = await refusal(userId, sub, owner);
      if (refused) return { kind: 'refused', ...refused };
      let created: Subscription;
      try {
        created = await sequelize.transaction(async (transaction) => {
          const row = await Subscription.create(
            {
              userId,
              name: sub.name,
              priceMinor: sub.priceMinor,
              currency: sub.currency ?? owner.currency,
              billingCycle: sub.billingCycle,
              billingInterval: sub.billingInterval,
              anchorDate: sub.anchorDate,
              nextPaymentDate: sub.nextPaymentDate,
              category: sub.category,
              status: sub.status,
              reminderOffsets: sub.reminderOffsets,
              notes: sub.notes,
              url: sub.url,
              // The service clock, as for any create: reminders before this instant are never sent.
              createdAt: new Date(deps.now()),
            },
            { transaction },
          );
          await ImportKey.create(
            { userId, contentKey: key, subscriptionId: row.id, importId, importRow: fileRow },
            { transaction },
          );
          return row;
        });
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        // A concurrent import wrote the same key, or a concurrent create took the name.
        return (
          (await existingKey(importId, fileRow, userId, key, owner)) ?? {
            kind: 'refused',
            field: 'name',
            message: 'You already have a subscription with this name.',
          }
        );
      }
      await advanceCreated(created, owner);
      return { kind: 'created' };
    },

    async savePage(importId, from, to, tally) {
      await sequelize.transaction(async (transaction) => {
        const found = await SubscriptionImport.findByPk(importId, {
          attributes: WITHOUT_ROWS,
          transaction,
          lock: transaction.LOCK.UPDATE,
        });
        if (!found || found.nextRow !== from) return;
        found.set({
          status: 'running',
          nextRow: to,
          created: found.created + tally.created,
          duplicates: found.duplicates + tally.duplicates,
          errors: [...found.errors, ...tally.errors],
        });
        await found.save({ transaction });
      });
    },

    async finish(importId, outcome) {
      const found = await SubscriptionImport.findByPk(importId, { attributes: WITHOUT_ROWS });
      if (!found) return null;
      if (found.status !== 'completed' && found.status !== 'failed') {
        found.set({
          status: outcome.status,
          failure: outcome.status === 'failed' ? outcome.failure : null,
          finishedAt: new Date(deps.now()),
        });
        // Given up mid-page: rows of the unsaved page may exist. Its keys say exactly which this import created.
        if (outcome.status === 'failed') found.created = await ImportKey.count({ where: { importId } });
        await found.save();
      }
      return {
        status: found.status as 'completed' | 'failed',
        created: found.created,
        duplicates: found.duplicates,
        errors: found.errors.length,
      };
    },
  };
}
