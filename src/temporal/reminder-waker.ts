import type { Client } from '@temporalio/client';
import { REMINDER_REPLAN_SIGNAL, type ReminderKind } from './contract';

/** A started reminder, by the parts of its key, and the batch workflow that holds it. */
export interface StartedReminder {
  subscriptionId: number;
  dueDate: string;
  offsetDays: number;
  kind?: ReminderKind;
  /** Workflow id of its batch; null if it was started before batches existed (no batch to signal). */
  batchId: string | null;
}

/** Counts of reminders, except `batches`. */
export interface WakeOutcome {
  /** In a batch that was signalled: each re-validates now and sleeps until the instant that holds. */
  woken: number;
  /** In a batch already closed (all its reminders sent, skipped or failed): nothing to wake. */
  ended: number;
  /**
   * Not reached: Temporal down or too slow, or no batch id. These keep their old instant if it was earlier than
   * the new one.
   */
  unreached: number;
  /** Distinct batches signalled. */
  batches: number;
  /** The reminders not reached, for the caller to leave to the next reminder check. */
  notReached: StartedReminder[];
}

/**
 * Sends `replan` once to each distinct batch that holds one of these reminders, all under one short deadline.
 * Never throws: what could not be reached is returned (the caller leaves it to the next reminder check).
 */
export function createReminderWaker(client: Client, { timeoutMs = 2000 }: { timeoutMs?: number } = {}) {
  return async function wake(reminders: readonly StartedReminder[]): Promise<WakeOutcome> {
    const byBatch = new Map<string, StartedReminder[]>();
    for (const r of reminders) {
      if (r.batchId === null) continue;
      const held = byBatch.get(r.batchId);
      if (held) held.push(r);
      else byBatch.set(r.batchId, [r]);
    }
    const outcome = { woken: 0, ended: 0, batches: 0 };
    const reached = new Set<StartedReminder>();
    const signals = client.withDeadline(Date.now() + timeoutMs, () =>
      Promise.all(
        [...byBatch].map(async ([batchId, held]) => {
          try {
            await client.workflow.getHandle(batchId).signal(REMINDER_REPLAN_SIGNAL);
            outcome.woken += held.length;
            outcome.batches += 1;
          } catch (err) {
            // Matched by name: Jest gives each test file its own realm, so instanceof is unreliable.
            if ((err as Error).name !== 'WorkflowNotFoundError') return;
            outcome.ended += held.length;
          }
          for (const r of held) reached.add(r);
        }),
      ),
    );
    // Awaited to the end (the deadline ends every call, in about 4 s when Temporal is down): a call left running
    // would retry on a timer after its connection closed.
    await signals.catch(() => undefined);
    const notReached = reminders.filter((r) => !reached.has(r));
    return { ...outcome, unreached: notReached.length, notReached };
  };
}

export type ReminderWaker = ReturnType<typeof createReminderWaker>;
