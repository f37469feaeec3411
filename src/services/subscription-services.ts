/** Wires the subscription and time-engine services together; createServices spreads them in. */
import type { Database } from '../db/database';
import type { EpochMs } from '../time';
import { createAdvanceService } from './advance-service';
import { createCachedReads } from './cached-reads';
import { createReminderLogService } from './reminder-log-service';
import { createExchangeRateStore } from './exchange-rate-store';
import { createStatsService } from './stats-service';
import { createLedgerService } from './subscription-ledger';
import { createSubscriptionService } from './subscription-service';
import { createUpcomingService } from './upcoming-service';
import { createOwnerSubscriptionsStore } from './owner-subscriptions-store';

/** `now` is the one clock of these services (tests move it); production passes Date.now. */
export function createSubscriptionServices(deps: {
  db: Database;
  now: () => EpochMs;
  onReminderChange?: (scope: { userId: number; subscriptionId: number }) => Promise<unknown>;
  /** Subscriptions one user may hold (MAX_SUBSCRIPTIONS_PER_USER). */
  maxPerUser: number;
}) {
  const { db, now } = deps;
  const advance = createAdvanceService({ db, now });
  const store = createOwnerSubscriptionsStore(db);
  const subscriptions = createSubscriptionService({
    db,
    now,
    advance,
    onReminderChange: deps.onReminderChange,
    maxPerUser: deps.maxPerUser,
    store,
  });
  const ledger = createLedgerService({ db });
  const reminderLogs = createReminderLogService({ db });
  const upcoming = createUpcomingService({ store, now });
  const rates = createExchangeRateStore(db);
  const stats = createStatsService({ store, now, advance, rates });
  const cachedReads = createCachedReads({ store, now, upcoming, stats, ratesWrittenAt: rates.lastWrittenAt });
  return { advance, subscriptions, ledger, reminderLogs, upcoming, stats, cachedReads };
}
