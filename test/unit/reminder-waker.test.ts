import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { REMINDER_REPLAN_SIGNAL } from '../../src/temporal/contract';
import { createReminderWaker, type StartedReminder } from '../../src/temporal/reminder-waker';

/** A client whose batches are running, closed ('gone') or unreachable ('down'); records each signal sent. */
function fakeClient(state: Record<string, 'running' | 'gone' | 'down'>) {
  const signals: string[] = [];
  const deadlines: number[] = [];
  const client = {
    withDeadline: <T>(deadline: number, fn: () => Promise<T>) => {
      deadlines.push(deadline);
      return fn();
    },
    workflow: {
      getHandle: (workflowId: string) => ({
        signal: async (name: string) => {
          signals.push(`${workflowId} ${name}`);
          if (state[workflowId] === 'gone')
            throw new WorkflowNotFoundError('not found', workflowId, undefined);
          if (state[workflowId] !== 'running') throw new Error('14 UNAVAILABLE: connection refused');
        },
      }),
    },
  } as unknown as Client;
  return { client, signals, deadlines };
}

const reminder = (subscriptionId: number, offsetDays: number, batchId: string | null): StartedReminder => ({
  subscriptionId,
  dueDate: '2027-03-11',
  offsetDays,
  batchId,
});

describe('waking reminder batches', () => {
  it('signals each distinct batch once, all under one deadline, and counts the reminders each holds', async () => {
    const { client, signals, deadlines } = fakeClient({ A: 'running', B: 'running' });
    const reminders = [reminder(1, 1, 'A'), reminder(1, 3, 'A'), reminder(2, 1, 'B'), reminder(3, 7, 'A')];
    const outcome = await createReminderWaker(client)(reminders);
    expect(signals.sort()).toEqual([`A ${REMINDER_REPLAN_SIGNAL}`, `B ${REMINDER_REPLAN_SIGNAL}`]);
    expect(deadlines).toHaveLength(1);
    expect(outcome).toEqual({ woken: 4, ended: 0, unreached: 0, batches: 2, notReached: [] });
  });

  it('counts the reminders of a closed batch as ended, and returns those of an unreachable one', async () => {
    const { client } = fakeClient({ A: 'running', B: 'gone', C: 'down' });
    const unreachable = [reminder(4, 1, 'C'), reminder(5, 1, 'C')];
    const outcome = await createReminderWaker(client)([
      reminder(1, 1, 'A'),
      reminder(2, 1, 'B'),
      reminder(3, 1, 'B'),
      ...unreachable,
    ]);
    expect(outcome).toEqual({ woken: 1, ended: 2, unreached: 2, batches: 1, notReached: unreachable });
  });

  it('returns a reminder started before batches existed (no batch id) as not reached, without a signal', async () => {
    const { client, signals } = fakeClient({ A: 'running' });
    const legacy = reminder(2, 1, null);
    const outcome = await createReminderWaker(client)([reminder(1, 1, 'A'), legacy]);
    expect(signals).toEqual([`A ${REMINDER_REPLAN_SIGNAL}`]);
    expect(outcome).toEqual({ woken: 1, ended: 0, unreached: 1, batches: 1, notReached: [legacy] });
  });
});
