import pLimit from 'p-limit';
import type {
  HousekeepingStore,
  PaymentAdvancer,
  ReminderCandidatePage,
  ReminderContext,
  ReminderLogEntry,
  ReminderOwner,
  ReminderStore,
  ReminderSubscription,
} from '../../activities/ports';
import { candidateWindowEnd, planReminders } from '../../src/services/reminder-plan';
import { reminderKeyOf } from '../../src/temporal/contract';

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
  /** Key -> the batch workflow that holds the started reminder. */
  const batches = new Map<string, string>();
  /** Key -> the workflow that claimed it. */
  const claims = new Map<string, string>();
  const contextOf = (id: number) => {
    const subscription = subscriptions.get(id);
    const owner = subscription && owners.get(subscription.userId);
    return subscription && owner ? { subscription: { ...subscription }, owner: { ...owner } } : null;
  };
  const store: ReminderStore = {
    findContext: async (id) => contextOf(id),
    async findContexts(ids) {
      const found = new Map<number, ReminderContext>();
      for (const id of ids) {
        const context = contextOf(id);
        if (context) found.set(id, context);
      }
      return found;
    },
    loggedKeys: async (keys) => new Set(keys.filter((k) => logs.has(k))),
    async claim(reminders, workflowId) {
      const held = new Set<string>();
      for (const r of reminders) {
        if (!subscriptions.has(r.subscriptionId)) continue;
        const key = reminderKeyOf(r);
        if (!claims.has(key)) claims.set(key, workflowId);
        if (claims.get(key) === workflowId) held.add(key);
      }
      return held;
    },
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
      reminders.forEach((r) => {
        const key = reminderKeyOf(r);
        started.add(key);
        batches.set(key, r.batchId);
      }),
    async recordLogs(entries) {
      for (const entry of entries) {
        const key = reminderKeyOf(entry);
        if (subscriptions.has(entry.subscriptionId) && !logs.has(key)) logs.set(key, entry);
      }
    },
  };
  return { store, subscriptions, owners, logs, started, batches, claims };
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
    trialEndsOn: null,
    endsOn: null,
    cancelBy: null,
    createdAtMs: 0,
    remindersChangedAtMs: null,
    ...overrides,
  };
}

/** An advancer with nothing due. */
export const idleAdvancer: PaymentAdvancer = {
  advancePage: async () => ({ advanced: 0, charges: 0, nextAfterId: null }),
};

/** The worker's pool of sends, as the worker builds it (MAIL_CONCURRENCY). */
export const testSendSlots = pLimit(8);

export const reminderLinks = {
  verifyEmail: (userId: number) => `http://app.test/verify-email?user=${userId}`,
  unsubscribe: (userId: number) => `http://app.test/unsubscribe?user=${userId}`,
  subscription: (id: number) => `http://app.test/subscriptions/${id}`,
};

/**
 * The prune step's store over queued page sizes: each call deletes the next queued count (then none), and the
 * cut-offs it was given are kept for assertions.
 */
export function createMemoryHousekeeping(
  pages: { reminderStarts?: number[]; reportClaims?: number[]; sessions?: number[] } = {},
) {
  const queued = {
    reminderStarts: [...(pages.reminderStarts ?? [])],
    reportClaims: [...(pages.reportClaims ?? [])],
    sessions: [...(pages.sessions ?? [])],
  };
  const calls: { dueBefore?: string; monthBefore?: string; expiredBeforeMs?: number }[] = [];
  const store: HousekeepingStore = {
    async pruneReminderStarts(dueBefore, limit) {
      calls.push({ dueBefore });
      return Math.min(limit, queued.reminderStarts.shift() ?? 0);
    },
    async pruneReportClaims(monthBefore, limit) {
      calls.push({ monthBefore });
      return Math.min(limit, queued.reportClaims.shift() ?? 0);
    },
    async pruneSessions(expiredBeforeMs, limit) {
      calls.push({ expiredBeforeMs });
      return Math.min(limit, queued.sessions.shift() ?? 0);
    },
  };
  return { store, calls };
}

/**
 * A store whose every call fails like a lost database connection while the clock (the test server's) is before
 * `outage.untilMs`.
 */
export function withOutage(
  store: ReminderStore,
  outage: { untilMs: number },
  clock: () => Promise<number>,
): ReminderStore {
  const down = async () => {
    if ((await clock()) < outage.untilMs) {
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:3306'), {
        name: 'SequelizeConnectionRefusedError',
      });
    }
  };
  return Object.fromEntries(
    Object.entries(store).map(([name, fn]) => [
      name,
      async (...args: unknown[]) => {
        await down();
        return (fn as (...a: unknown[]) => unknown).apply(store, args);
      },
    ]),
  ) as unknown as ReminderStore;
}
