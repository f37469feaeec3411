/**
 * After a change to what decides reminders (the owner's zone, hour, offsets or switch; a subscription's dates,
 * cycle, offsets or status), wakes that owner's reminders already started and sleeping, so each re-validates at
 * once: an instant moved earlier is kept instead of the one the reminder was started with. A reminder the signal
 * did not reach (Temporal unreachable) loses its started marker: the next reminder check lists it again, finds
 * it running and signals it then (reminder-fan-out.ts). Never throws: a failure is logged (a reminder neither
 * woken nor unmarked still re-validates at its old instant).
 */
import { QueryTypes } from 'sequelize';
import type { Database } from '../db/database';
import type { Logger } from '../logger';
import type { StartedReminder, WakeOutcome } from '../temporal/reminder-waker';
import { addDays, localDate, type EpochMs } from '../time';
import { reminderKey } from './subscription-schedule';

export type ReplanScope = { userId: number; subscriptionId?: number };

export function createReminderReplanService(deps: {
  db: Database;
  now: () => EpochMs;
  wake: (reminders: readonly StartedReminder[]) => Promise<WakeOutcome>;
  logger: Logger;
}) {
  /** Started and not logged yet, of payments not yet due (a day's slack for the owner's zone). */
  async function sleepingReminders(scope: ReplanScope): Promise<StartedReminder[]> {
    const rows = await deps.db.sequelize.query<{ subscriptionId: number; dueDate: string; k: string }>(
      `SELECT rs.subscription_id AS subscriptionId, rs.due_date AS dueDate, rs.idempotency_key AS k
         FROM reminder_starts rs JOIN subscriptions s ON s.id = rs.subscription_id
        WHERE s.user_id = :userId ${scope.subscriptionId === undefined ? '' : 'AND s.id = :subscriptionId'}
          AND rs.due_date >= :fromDate
          AND NOT EXISTS (SELECT 1 FROM reminder_logs rl WHERE rl.idempotency_key = rs.idempotency_key)`,
      {
        type: QueryTypes.SELECT,
        replacements: { ...scope, fromDate: addDays(localDate(deps.now(), 'UTC'), -1) },
      },
    );
    return rows.map((row) => ({
      subscriptionId: Number(row.subscriptionId),
      dueDate: String(row.dueDate).slice(0, 10),
      offsetDays: Number(row.k.split(':').at(-1)),
    }));
  }

  /** Removes started markers, so the next check lists these reminders again (and wakes them). */
  async function unmark(reminders: readonly StartedReminder[]): Promise<void> {
    const keys = reminders.map((r) => reminderKey(r.subscriptionId, r.dueDate, r.offsetDays));
    await deps.db.sequelize.query('DELETE FROM reminder_starts WHERE idempotency_key IN (:keys)', {
      replacements: { keys },
    });
  }

  async function replan(scope: ReplanScope): Promise<WakeOutcome | undefined> {
    try {
      const reminders = await sleepingReminders(scope);
      if (reminders.length === 0) return undefined;
      const outcome = await deps.wake(reminders);
      if (outcome.unreached > 0) {
        const { woken, ended, unreached } = outcome;
        deps.logger.warn(
          { ...scope, woken, ended, unreached },
          'sleeping reminders not all woken: left to the next reminder check',
        );
        await unmark(outcome.notReached);
      }
      return outcome;
    } catch (err) {
      deps.logger.warn({ ...scope, err: (err as Error).message }, 'sleeping reminders not woken');
      return undefined;
    }
  }

  return { sleepingReminders, replan };
}

export type ReminderReplanService = ReturnType<typeof createReminderReplanService>;
