import { addDays, localDate, localMonth, previousMonth } from '../src/time';
import type { HousekeepingStore } from './ports';

export interface HousekeepingActivityDeps {
  housekeeping: HousekeepingStore;
}

/** Started markers are read for payments not yet due (the check, from today; a replan, from yesterday in UTC). */
const STARTS_KEPT_DAYS = 2;
/**
 * A report claim guards its month's sends, which end a day or so after the month does (zones, retries, an
 * outage): claims of the month before last are kept no longer.
 */
const reportClaimsBefore = (nowMs: number) => previousMonth(localMonth(nowMs, 'UTC'));
/** An expired session's tokens are refused by their own expiry already; a day's slack for clock skew. */
const SESSIONS_KEPT_MS = 86_400_000;

export function createHousekeepingActivities(deps: HousekeepingActivityDeps) {
  return {
    /** One page of the reminder check's prune step (report claims too); `more` when a kind filled its page. */
    async pruneExpired(input: { nowMs: number; limit: number }) {
      const dueBefore = addDays(localDate(input.nowMs, 'UTC'), -STARTS_KEPT_DAYS);
      const reminderStarts = await deps.housekeeping.pruneReminderStarts(dueBefore, input.limit);
      const reportClaims = await deps.housekeeping.pruneReportClaims(
        reportClaimsBefore(input.nowMs),
        input.limit,
      );
      const sessions = await deps.housekeeping.pruneSessions(input.nowMs - SESSIONS_KEPT_MS, input.limit);
      const more = [reminderStarts, reportClaims, sessions].some((n) => n === input.limit);
      return { reminderStarts, reportClaims, sessions, more };
    },
  };
}

export type HousekeepingActivities = ReturnType<typeof createHousekeepingActivities>;
