/** The reminder activities' ports on Sequelize: contexts, candidate pages, started markers and the log. */
import { QueryTypes, type QueryOptions } from 'sequelize';
import type { ReminderStore } from '../../activities/ports';
import type { Database } from '../db/database';
import { isUniqueViolation } from '../db/errors';
import { listReminderCandidates, OWNER_FIELDS, toReminderContext } from './reminder-candidates';
import { reminderKey } from './subscription-schedule';

/** INSERT OR IGNORE / INSERT IGNORE: honoured by the query generator, missing from bulkInsert's typings. */
const IGNORE_DUPLICATES = { ignoreDuplicates: true } as QueryOptions;

const isForeignKeyViolation = (err: unknown) =>
  (err as { name?: string } | null)?.name === 'SequelizeForeignKeyConstraintError';

export function createReminderStore(db: Database): ReminderStore {
  const { Subscription, User, ReminderLog } = db.models;
  const queryInterface = db.sequelize.getQueryInterface();

  return {
    async findContext(subscriptionId) {
      const sub = await Subscription.findByPk(subscriptionId, {
        include: [{ model: User, attributes: [...OWNER_FIELDS] }],
      });
      if (!sub?.user) return null;
      return toReminderContext(sub, sub.user);
    },

    async isLogged(subscriptionId, dueDate, offsetDays) {
      const key = reminderKey(subscriptionId, dueDate, offsetDays);
      return (await ReminderLog.count({ where: { idempotencyKey: key } })) > 0;
    },

    listCandidates: (afterId, limit, nowMs, onBatch) =>
      listReminderCandidates(db, { afterId, limit, nowMs, onBatch }),

    async markStarted(reminders) {
      const now = new Date();
      const rows = reminders.map((r) => ({
        subscription_id: r.subscriptionId,
        idempotency_key: reminderKey(r.subscriptionId, r.dueDate, r.offsetDays),
        due_date: r.dueDate,
        created_at: now,
      }));
      try {
        await queryInterface.bulkInsert('reminder_starts', rows, IGNORE_DUPLICATES);
      } catch (err) {
        // A subscription deleted meanwhile (SQLite's OR IGNORE does not cover foreign keys): row by row.
        if (!isForeignKeyViolation(err)) throw err;
        for (const row of rows) {
          await queryInterface.bulkInsert('reminder_starts', [row], IGNORE_DUPLICATES).catch((e: unknown) => {
            if (!isForeignKeyViolation(e)) throw e;
          });
        }
      }
    },

    async recordLog(entry) {
      try {
        await ReminderLog.create({
          subscriptionId: entry.subscriptionId,
          userId: entry.userId,
          dueDate: entry.dueDate,
          offsetDays: entry.offsetDays,
          idempotencyKey: reminderKey(entry.subscriptionId, entry.dueDate, entry.offsetDays),
          status: entry.status,
          reason: entry.reason ?? null,
          success: entry.status === 'sent',
          message: entry.message ?? null,
          error: entry.error ?? null,
          attempts: entry.attempts,
          providerMessageId: entry.providerMessageId ?? null,
          late: entry.late,
          sentAt: entry.sentAtMs === undefined ? null : new Date(entry.sentAtMs),
        });
        return 'created';
      } catch (err) {
        if (isUniqueViolation(err)) return 'exists';
        if (isForeignKeyViolation(err)) return 'deleted';
        throw err;
      }
    },
  };
}

/** Started-reminder markers of one subscription (tests and diagnostics). */
export async function startedReminderKeys(db: Database, subscriptionId: number): Promise<string[]> {
  const rows = await db.sequelize.query<{ k: string }>(
    'SELECT idempotency_key AS k FROM reminder_starts WHERE subscription_id = :subscriptionId',
    { type: QueryTypes.SELECT, replacements: { subscriptionId } },
  );
  return rows.map((r) => r.k);
}
