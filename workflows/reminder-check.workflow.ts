import { continueAsNew, workflowInfo } from '@temporalio/workflow';
import {
  REMINDER_CHECK_PHASES,
  type ReminderCheckCounts,
  type ReminderCheckInput,
  type ReminderCheckPhase,
} from '../src/temporal/contract';
import { advanceDuePage } from './advance-phase';
import { prunePage } from './prune-phase';
import { startDueReminders } from './reminder-fan-out';
import type { PageResult } from './page-result';
import { startMissingWelcomes } from './welcome-fan-out';

interface PhaseContext {
  idPrefix: string;
  cursor: number;
  nowMs: number;
}

/** Each step pages on its own cursor; a new step is one more entry here and its name in the contract. */
const PHASES: Record<ReminderCheckPhase, (ctx: PhaseContext) => Promise<PageResult>> = {
  welcome: (ctx) => startMissingWelcomes(ctx.idPrefix, ctx.cursor),
  advance: (ctx) => advanceDuePage(ctx.cursor, ctx.nowMs),
  reminders: (ctx) => startDueReminders(ctx.idPrefix, ctx.cursor, ctx.nowMs),
  prune: (ctx) => prunePage(ctx.nowMs),
};

const NO_COUNTS: ReminderCheckCounts = {
  welcomeStarted: 0,
  welcomeAlreadyRunning: 0,
  subscriptionsAdvanced: 0,
  chargesRecorded: 0,
  reminderBatchesStarted: 0,
  remindersStarted: 0,
  remindersAlreadyRunning: 0,
  remindersSkipped: 0,
  remindersLate: 0,
  reminderStartsPruned: 0,
  sessionsPruned: 0,
};

/**
 * The schedule's periodic sweep. Runs the phases in order, one page at a time; after a full page (or when
 * history grows long) it continues as new with the cursor and the counts so far. Returns the totals. "Now" is
 * fixed by the first run and carried, so every page plans against the same window.
 */
export async function reminderCheckWorkflow(input: ReminderCheckInput): Promise<ReminderCheckCounts> {
  let counts = { ...NO_COUNTS, ...input.counts };
  const nowMs = input.nowMs ?? Date.now();
  const first = REMINDER_CHECK_PHASES.indexOf(input.phase ?? REMINDER_CHECK_PHASES[0]);
  let cursor = input.cursor ?? 0;
  for (const [i, phase] of REMINDER_CHECK_PHASES.slice(first).entries()) {
    const page = await PHASES[phase]({ idPrefix: input.idPrefix, cursor, nowMs });
    counts = addCounts(counts, page.counts);
    if (page.more)
      await continueAsNew<typeof reminderCheckWorkflow>({
        ...input,
        counts,
        nowMs,
        phase,
        cursor: page.cursor,
      });
    cursor = 0;
    const next = REMINDER_CHECK_PHASES[first + i + 1];
    if (next && workflowInfo().continueAsNewSuggested) {
      await continueAsNew<typeof reminderCheckWorkflow>({ ...input, counts, nowMs, phase: next, cursor: 0 });
    }
  }
  return counts;
}

function addCounts(a: ReminderCheckCounts, b: Partial<ReminderCheckCounts>): ReminderCheckCounts {
  const sum = { ...a };
  for (const key of Object.keys(b) as (keyof ReminderCheckCounts)[]) sum[key] += b[key] ?? 0;
  return sum;
}
