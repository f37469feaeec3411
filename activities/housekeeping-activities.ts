import { addDays, localDate } from '../src/time';
import type { HousekeepingStore } from './ports';

export interface HousekeepingActivityDeps {
  housekeeping: HousekeepingStore;
}

/** Started markers are read for payments not yet due (the check, from today; a replan, from yesterday in UTC). */
const STARTS_KEPT_DAYS = 2;
/** An expired session's tokens are refused by their own expiry already; a day's slack for clock skew. */
const SESSIONS_KEPT_MS = 86_400_000;

export function createHousekeepingActivities(deps: HousekeepingActivityDeps) {
  return {
    /** One page of the reminder check's prune step; `more` when a kind filled its page. */
    async pruneExpired(input: { nowMs: number; limit: number }) {
      const dueBefore = addDays(localDate(input.nowMs, 'UTC'), -STARTS_KEPT_DAYS);
      const reminderStarts = await deps.housekeeping.pruneReminderStarts(dueBefore, input.limit);
      const sessions = await deps.housekeeping.pruneSessions(input.nowMs - SESSIONS_KEPT_MS, input.limit);
      return { reminderStarts, sessions, more: reminderStarts === input.limit || sessions === input.limit };
    },
  };
}

export type HousekeepingActivities = ReturnType<typeof createHousekeepingActivities>;
