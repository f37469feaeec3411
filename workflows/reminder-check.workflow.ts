import { continueAsNew, workflowInfo } from '@temporalio/workflow';
import {
  REMINDER_CHECK_PHASES,
  type ReminderCheckCounts,
  type ReminderCheckInput,
  type ReminderCheckPhase,
} from '../src/temporal/contract';
import { startMissingWelcomes, type PageResult } from './welcome-fan-out';

/** Each step pages on its own cursor; a new step (reminders, payments) is one more entry and phase name. */
const PHASES: Record<ReminderCheckPhase, (idPrefix: string, cursor: number) => Promise<PageResult>> = {
  welcome: startMissingWelcomes,
};

const NO_COUNTS: ReminderCheckCounts = { welcomeStarted: 0, welcomeAlreadyRunning: 0 };

/**
 * The schedule's periodic sweep. Runs the phases in order, one page at a time; after a full page (or when
 * history grows long) it continues as new with the cursor and the counts so far. Returns the totals.
 */
export async function reminderCheckWorkflow(input: ReminderCheckInput): Promise<ReminderCheckCounts> {
  let counts = { ...NO_COUNTS, ...input.counts };
  const first = REMINDER_CHECK_PHASES.indexOf(input.phase ?? REMINDER_CHECK_PHASES[0]);
  let cursor = input.cursor ?? 0;
  for (const [i, phase] of REMINDER_CHECK_PHASES.slice(first).entries()) {
    const page = await PHASES[phase](input.idPrefix, cursor);
    counts = addCounts(counts, page.counts);
    if (page.more)
      await continueAsNew<typeof reminderCheckWorkflow>({ ...input, counts, phase, cursor: page.cursor });
    cursor = 0;
    const next = REMINDER_CHECK_PHASES[first + i + 1];
    if (next && workflowInfo().continueAsNewSuggested) {
      await continueAsNew<typeof reminderCheckWorkflow>({ ...input, counts, phase: next, cursor: 0 });
    }
  }
  return counts;
}

function addCounts(a: ReminderCheckCounts, b: Partial<ReminderCheckCounts>): ReminderCheckCounts {
  const sum = { ...a };
  for (const key of Object.keys(b) as (keyof ReminderCheckCounts)[]) sum[key] += b[key] ?? 0;
  return sum;
}
