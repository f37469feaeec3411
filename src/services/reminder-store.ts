/** The reminder activities' ports on Sequelize: contexts, candidate pages, started markers, claims and the log. */
import { Op, QueryTypes } from 'sequelize';
import type { ReminderContext, ReminderLogEntry, ReminderStore } from '../../activities/ports';
import type { Database } from '../db/database';
import { bumpDataVersion } from '../db/data-version';
import { insertIgnoring as insertRows } from '../db/insert-ignoring';
import { listReminderCandidates, OWNER_FIELDS, toReminderContext } from './reminder-candidates';
import { reminderKeyOf } from '../temporal/contract';

export function createReminderStore(db: Database): ReminderStore {
  const { Subscription, User } = db.models;
  const queryInterface = db.sequelize.getQueryInterface();

  const insertIgnoring = (table: string, rows: object[]) => insertRows(queryInterface, table, rows);

  return {
    async findContext(subscriptionId) {
      return (await this.findContexts([subscriptionId])).get(subscriptionId) ?? null;
    },

    async findContexts(subscriptionIds) {
      const contexts = new Map<number, ReminderContext>();
      if (subscriptionIds.length === 0) return contexts;
      const subs = await Subscription.findAll({
        where: { id: { [Op.in]: [...new Set(subscriptionIds)] } },
        include: [{ model: User, attributes: [...OWNER_FIELDS], required: true }],
      });
      for (const sub of subs) contexts.set(sub.id, toReminderContext(sub, sub.user!));
      return contexts;
    },

    async loggedKeys(keys) {
      if (keys.length === 0) return new Set();
      const rows = await db.sequelize.query<{ k: string }>(
        'SELECT idempotency_key AS k FROM reminder_logs WHERE idempotency_key IN (:keys)',
        { type: QueryTypes.SELECT, replacements: { keys } },
      );
      return new Set(rows.map((r) => r.k));
    },

    async claim(reminders, workflowId) {
      if (reminders.length === 0) return new Set();
      const now = new Date();
      const keys = reminders.map(reminderKeyOf);
      await insertIgnoring(
        'reminder_claims',
        reminders.map((r, i) => ({
          idempotency_key: keys[i],
          subscription_id: r.subscriptionId,
          due_date: r.dueDate,
          workflow_id: workflowId,
          created_at: now,
        })),
      );
      const rows = await db.sequelize.query<{ k: string }>(
        'SELECT idempotency_key AS k FROM reminder_claims WHERE idempotency_key IN (:keys) AND workflow_id = :workflowId',
        { type: QueryTypes.SELECT, replacements: { keys, workflowId } },
      );
      return new Set(rows.map((r) => r.k));
    },

    listCandidates: (afterId, limit, nowMs, onBatch) =>
      listReminderCandidates(db, { afterId, limit, nowMs, onBatch }),

    async markStarted(reminders) {
      const now = new Date();
      await insertIgnoring(
        'reminder_starts',
        reminders.map((r) => ({
          subscription_id: r.subscriptionId,
          idempotency_key: reminderKeyOf(r),
          due_date: r.dueDate,
          batch_id: r.batchId,
          created_at: now,
        })),
      );
    },

    async recordLogs(entries) {
      if (entries.length === 0) return;
      const now = new Date();
      // The logs change the owners' upcoming charges: their data versions move in the same transaction.
      await db.sequelize.transaction(async (transaction) => {
        await bumpDataVersion(
          db.sequelize,
          entries.map((entry) => entry.userId),
          transaction,
        );
        await insertRows(
          queryInterface,
          'reminder_logs',
          entries.map((entry) => logRow(entry, now)),
          transaction,
        );
      });
    },
  };
}

/** A reminder_logs row in column names, for a multi-row insert. */
function logRow(entry: ReminderLogEntry, now: Date) {
  return {
    subscription_id: entry.subscriptionId,
    user_id: entry.userId,
    due_date: entry.dueDate,
    offset_days: entry.offsetDays,
    idempotency_key: reminderKeyOf(entry),
    kind: entry.kind ?? 'charge',
    status: entry.status,
    reason: entry.reason ?? null,
    success: entry.status === 'sent',
    message: entry.message ?? null,
    error: entry.error ?? null,
    attempts: entry.attempts,
    provider_message_id: entry.providerMessageId ?? null,
    late: entry.late,
    sent_at: entry.sentAtMs === undefined ? null : new Date(entry.sentAtMs),
    workflow_id: entry.workflowId ?? null,
    workflow_run_id: entry.workflowRunId ?? null,
    created_at: now,
    updated_at: now,
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
