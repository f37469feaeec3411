/**
 * After a change to what decides reminders (the owner's zone, hour, offsets or switch; a subscription's dates,
 * cycle, offsets or status), wakes the batches that hold that owner's reminders already started and sleeping,
 * so each re-validates at once: an instant moved earlier is kept instead of the one the reminder was started
 * with. A reminder the signal did not reach (Temporal unreachable, or started before batches existed) loses its
 * started marker: the next reminder check lists it again and starts or signals its batch then. Never throws: a
 * failure is logged (a reminder neither woken nor unmarked still re-validates at its old instant).
 *
 * Replans are debounced per owner: the first change replans at once (its request waits for it), changes within
 * the next `replanWindowMs` are merged into one trailing replan when that window closes. So a burst of changes
 * signals each batch twice at most, not once per change. The window is per API process.
 */
import { QueryTypes } from 'sequelize';
import type { Database } from '../db/database';
import type { Logger } from '../logger';
import type { StartedReminder, WakeOutcome } from '../temporal/reminder-waker';
import { addDays, localDate, type EpochMs } from '../time';
import { createPerKeyThrottle } from './per-key-throttle';
import { reminderKeyOf, reminderKindOfKey } from '../temporal/contract';

/** One owner's reminders, or only those of one of their subscriptions. */
export type ReplanScope = { userId: number; subscriptionId?: number };

/** The narrowest scope that covers both (same owner): one subscription if both name it, else all the owner's. */
export function mergeReplanScopes(a: ReplanScope, b: ReplanScope): ReplanScope {
  return a.subscriptionId !== undefined && a.subscriptionId === b.subscriptionId ? a : { userId: a.userId };
}

export function createReminderReplanService(deps: {
  db: Database;
  now: () => EpochMs;
  wake: (reminders: readonly StartedReminder[]) => Promise<WakeOutcome>;
  logger: Logger;
  /** Changes of one owner within this long after a replan are merged into one trailing replan. */
  replanWindowMs?: number;
}) {
  /** Started and not logged yet, of payments not yet due (a day's slack for the owner's zone). */
  async function sleepingReminders(scope: ReplanScope): Promise<StartedReminder[]> {
    const rows = await deps.db.sequelize.query<{
      subscriptionId: number;
      dueDate: string;
      k: string;
      batchId: string | null;
    }>(
      `SELECT rs.subscription_id AS subscriptionId, rs.due_date AS dueDate, rs.idempotency_key AS k,
              rs.batch_id AS batchId
         FROM reminder_starts rs JOIN subscriptions s ON s.id = rs.subscription_id
        WHERE s.user_id = :userId ${scope.subscriptionId === undefined ? '' : 'AND s.id = :subscriptionId'}
          AND rs.due_date >= :fromDate
          AND NOT EXISTS (SELECT 1 FROM reminder_logs rl WHERE rl.idempotency_key = rs.idempotency_key)`,
      {
        type: QueryTypes.SELECT,
        replacements: { ...scope, fromDate: addDays(localDate(deps.now(), 'UTC'), -1) },
      },
    );
    return rows.map((row) => {
      const kind = reminderKindOfKey(row.k);
      return {
        subscriptionId: Number(row.subscriptionId),
        dueDate: String(row.dueDate).slice(0, 10),
        offsetDays: Number(row.k.split(':').at(-1)),
        // A charge's carries no kind, as before kinds existed.
        ...(kind === 'charge' ? {} : { kind }),
        batchId: row.batchId ?? null,
      };
    });
  }

  /** Removes started markers, so the next check lists these reminders again (and wakes them). */
  async function unmark(reminders: readonly StartedReminder[]): Promise<void> {
    const keys = reminders.map(reminderKeyOf);
    await deps.db.sequelize.query('DELETE FROM reminder_starts WHERE idempotency_key IN (:keys)', {
      replacements: { keys },
    });
  }

  /** Wakes the batches of the scope's sleeping reminders now. */
  async function replanNow(scope: ReplanScope): Promise<WakeOutcome | undefined> {
    try {
      const reminders = await sleepingReminders(scope);
      if (reminders.length === 0) return undefined;
      const outcome = await deps.wake(reminders);
      if (outcome.unreached > 0) {
        const { woken, ended, unreached, batches } = outcome;
        deps.logger.warn(
          { ...scope, woken, ended, unreached, batches },
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

  const throttle = createPerKeyThrottle<number, ReplanScope, WakeOutcome | undefined>({
    windowMs: deps.replanWindowMs ?? 1000,
    run: replanNow,
    merge: mergeReplanScopes,
    // replanNow logs its own failures; this is only for the unexpected.
    onError: (err, scope) =>
      deps.logger.error({ ...scope, err: (err as Error).message }, 'sleeping reminders not woken'),
  });

  return {
    sleepingReminders,
    /**
     * Wakes the scope's sleeping reminders now, or merges the scope into the owner's trailing replan if the
     * owner changed something within the window: then it resolves to undefined at once.
     */
    replan: (scope: ReplanScope) => throttle.submit(scope.userId, scope),
    /** Runs the trailing replans still waiting for their window to close (at shutdown). */
    close: () => throttle.flush(),
  };
}

export type ReminderReplanService = ReturnType<typeof createReminderReplanService>;
