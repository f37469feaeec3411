import type { Client } from '@temporalio/client';
import { REMINDER_REPLAN_SIGNAL, type WorkflowIds } from './contract';

/** A started reminder, by the parts of its workflow id. */
export interface StartedReminder {
  subscriptionId: number;
  dueDate: string;
  offsetDays: number;
}

export interface WakeOutcome {
  /** Signalled: each re-validates now and sleeps until the instant that holds. */
  woken: number;
  /** Already closed (sent, skipped or failed): nothing to wake. */
  ended: number;
  /** Not reached (Temporal down or too slow): these keep their old instant if it was earlier than the new one. */
  unreached: number;
  /** The reminders not reached, for the caller to leave to the next reminder check. */
  notReached: StartedReminder[];
}

/**
 * Sends `replan` to sleeping reminder workflows, all under one short deadline. Never throws: what could not be
 * reached is returned (the caller leaves it to the next reminder check).
 */
export function createReminderWaker(
  client: Client,
  ids: WorkflowIds,
  { timeoutMs = 2000 }: { timeoutMs?: number } = {},
) {
  return async function wake(reminders: readonly StartedReminder[]): Promise<WakeOutcome> {
    let woken = 0;
    let ended = 0;
    const reached = new Set<StartedReminder>();
    const signals = client.withDeadline(Date.now() + timeoutMs, () =>
      Promise.all(
        reminders.map(async (r) => {
          try {
            await client.workflow
              .getHandle(ids.reminder(r.subscriptionId, r.dueDate, r.offsetDays))
              .signal(REMINDER_REPLAN_SIGNAL);
            woken += 1;
            reached.add(r);
          } catch (err) {
            // Matched by name: Jest gives each test file its own realm, so instanceof is unreliable.
            if ((err as Error).name !== 'WorkflowNotFoundError') return;
            ended += 1;
            reached.add(r);
          }
        }),
      ),
    );
    // Awaited to the end (the deadline ends every call, in about 4 s when Temporal is down): a call left running
    // would retry on a timer after its connection closed.
    await signals.catch(() => undefined);
    const notReached = reminders.filter((r) => !reached.has(r));
    return { woken, ended, unreached: notReached.length, notReached };
  };
}

export type ReminderWaker = ReturnType<typeof createReminderWaker>;
