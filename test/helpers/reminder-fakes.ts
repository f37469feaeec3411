import type {
  HousekeepingStore,
  PaymentAdvancer,
  ReminderCandidatePage,
  ReminderLogEntry,
  ReminderOwner,
  ReminderStore,
  ReminderSubscription,
} from '../../activities/ports';
import { candidateWindowEnd, planReminders } from '../../src/services/reminder-plan';
import { reminderKey } from '../../src/services/subscription-schedule';

export type MemorySubscription = ReminderSubscription & {
  createdAtMs: number;
  remindersChangedAtMs: number | null;
};
export type MemoryOwner = ReminderOwner & { remindersChangedAtMs: number | null };

/** An in-memory ReminderStore with the semantics of the Sequelize one (same planner, same page rule). */
export function createMemoryReminderStore() {
  const subscriptions = new Map<number, MemorySubscription>();
  const owners = new Map<number, MemoryOwner>();
  const logs = new Map<string, ReminderLogEntry>();
  const started = new Set<string>();
  const contextOf = (id: number) => {
    const subscription = subscriptions.get(id);
    const owner = subscription && owners.get(subscription.userId);
    return subscription && owner ? { subscription: { ...subscription }, owner: { ...owner } } : null;
  };
  const store: ReminderStore = {
    findContext: async (id) => contextOf(id),
    isLogged: async (id, dueDate, offset) => logs.has(reminderKey(id, dueDate, offset)),
    async listCandidates(afterId, limit, nowMs) {
      const page: ReminderCandidatePage = { starts: [], skips: [], cursor: afterId, more: false };
      const handled = new Set([...logs.keys(), ...started]);
      const ids = [...subscriptions.keys()].filter((id) => id > afterId).sort((a, b) => a - b);
      for (const id of ids) {
        const context = contextOf(id);
        if (!context) continue;
        const plan = planReminders({ ...context, handled, nowMs, windowEndMs: candidateWindowEnd(nowMs) });
        const size = page.starts.length + page.skips.length;
        if (size > 0 && size + plan.starts.length + plan.skips.length > limit) return { ...page, more: true };
        page.starts.push(...plan.starts);
        page.skips.push(...plan.skips);
        page.cursor = id;
      }
      return page;
    },
    markStarted: async (reminders) =>
      reminders.forEach((r) => started.add(reminderKey(r.subscriptionId, r.dueDate, r.offsetDays))),
    async recordLog(entry) {
      if (!subscriptions.has(entry.subscriptionId)) return 'deleted';
      const key = reminderKey(entry.subscriptionId, entry.dueDate, entry.offsetDays);
      if (logs.has(key)) return 'exists';
      logs.set(key, entry);
      return 'created';
    },
  };
  return { store, subscriptions, owners, logs, started };
}

/** A verified owner with reminders on; override what the test is about. */
export function reminderOwner(id: number, overrides: Partial<MemoryOwner> = {}): MemoryOwner {
  return {
    id,
    username: `owner${id}`,
    email: `owner${id}@example.com`,
    emailVerified: true,
    timezone: 'UTC',
    reminderHour: 9,
    reminderOffsets: [7, 1],
    remindersEnabled: true,
    remindersChangedAtMs: null,
    ...overrides,
  };
}

/** An active monthly subscription whose next payment is `dueDate` (also its anchor). */
export function reminderSubscription(
  id: number,
  userId: number,
  dueDate: string,
  overrides: Partial<MemorySubscription> = {},
): MemorySubscription {
  return {
    id,
    userId,
    name: `Plan ${id}`,
    priceMinor: 1599,
    currency: 'EUR',
    billingCycle: 'monthly',
    billingInterval: 1,
    anchorDate: dueDate,
    nextPaymentDate: dueDate,
    status: 'active',
    reminderOffsets: null,
    createdAtMs: 0,
    remindersChangedAtMs: null,
    ...overrides,
  };
}

/** An advancer with nothing due. */
export const idleAdvancer: PaymentAdvancer = {
  advancePage: async () => ({ advanced: 0, charges: 0, nextAfterId: null }),
};

export const reminderLinks = {
  verifyEmail: (userId: number) => `http://app.test/verify-email?user=${userId}`,
  unsubscribe: (userId: number) => `http://app.test/unsubscribe?user=${userId}`,
  subscription: (id: number) => `http://app.test/subscriptions/${id}`,
};

/**
 * The prune step's store over queued page sizes: each call deletes the next queued count (then none), and the
 * cut-offs it was given are kept for assertions.
 */
export function createMemoryHousekeeping(pages: { reminderStarts?: number[]; sessions?: number[] } = {}) {
  const queued = { reminderStarts: [...(pages.reminderStarts ?? [])], sessions: [...(pages.sessions ?? [])] };
  const calls: { dueBefore?: string; expiredBeforeMs?: number }[] = [];
  const store: HousekeepingStore = {
    async pruneReminderStarts(dueBefore, limit) {
      calls.push({ dueBefore });
      return Math.min(limit, queued.reminderStarts.shift() ?? 0);
    },
    async pruneSessions(expiredBeforeMs, limit) {
      calls.push({ expiredBeforeMs });
      return Math.min(limit, queued.sessions.shift() ?? 0);
    },
  };
  return { store, calls };
}
