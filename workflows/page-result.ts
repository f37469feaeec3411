import type { ReminderCheckCounts } from '../src/temporal/contract';

/** One page of a reminder check step (welcomes, reminders, advance, prune): where it stopped, whether more may follow, what it counted. */
export interface PageResult {
  cursor: number;
  more: boolean;
  counts: Partial<ReminderCheckCounts>;
}
