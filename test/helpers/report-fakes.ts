import type {
  ReportCharge,
  ReportEntry,
  ReportSpending,
  ReportStore,
  ReportTotals,
  ReportUser,
} from '../../activities/ports';
import { createDatabaseOutage } from './temporal-fakes';

/** A report recipient for the report tests; override what the test is about. */
export function reportUser(id: number, overrides: Partial<ReportUser> = {}): ReportUser {
  return {
    id,
    username: `user${id}`,
    email: `user${id}@example.com`,
    emailVerified: true,
    timezone: 'UTC',
    reminderHour: 9,
    currency: 'USD',
    monthlyReport: true,
    ...overrides,
  };
}

/** A charge for the report tests. */
export function reportCharge(
  dueDate: string,
  amountMinor: number,
  overrides: Partial<ReportCharge> = {},
): ReportCharge {
  return {
    name: `Plan ${amountMinor}`,
    category: 'video',
    dueDate,
    amountMinor,
    currency: 'USD',
    ...overrides,
  };
}

/**
 * An in-memory ReportStore and ReportSpending with the semantics of the Sequelize ones: charges are kept per user
 * and month, the totals are summed from them, a row is written once per (user, month) and only a failed one is
 * replaced, a claim is held by the first batch. `outage` can take both down.
 */
export function createMemoryReportStore(initial: ReportUser[] = []) {
  const users = new Map(initial.map((u) => [u.id, { ...u }]));
  const charges = new Map<string, ReportCharge[]>();
  const rows = new Map<string, ReportEntry>();
  const advanced: { userId: number; nowMs: number }[] = [];
  const key = (userId: number, month: string) => `${userId}:${month}`;
  const outage = createDatabaseOutage();
  /** Which batch holds each (user, month), by key. */
  const claims = new Map<string, string>();
  /** Rows per multi-row write, in order. */
  const recordWrites: number[] = [];
  async function record(entry: ReportEntry) {
    if (!users.has(entry.userId)) return 'deleted' as const;
    const existing = rows.get(key(entry.userId, entry.month));
    if (existing && existing.status !== 'failed') return 'exists' as const;
    rows.set(key(entry.userId, entry.month), entry);
    return existing ? ('updated' as const) : ('created' as const);
  }

  const store = outage.guard<ReportStore>({
    findUser: async (id) => (users.has(id) ? { ...users.get(id)! } : null),
    listRecipients: async (afterId, limit) =>
      [...users.values()]
        .filter((u) => u.id > afterId && u.emailVerified && u.monthlyReport)
        .map(({ id, timezone, reminderHour }) => ({ id, timezone, reminderHour }))
        .sort((a, b) => a.id - b.id)
        .slice(0, limit),
    findReport: async (userId, month) => rows.get(key(userId, month))?.status ?? null,
    recordedUsers: async (userIds, month) => new Set(userIds.filter((id) => rows.has(key(id, month)))),
    async claim(userIds, month, workflowId) {
      const held = new Set<number>();
      for (const id of userIds) {
        if (!users.has(id)) continue;
        if (!claims.has(key(id, month))) claims.set(key(id, month), workflowId);
        if (claims.get(key(id, month)) === workflowId) held.add(id);
      }
      return held;
    },
    async recordReports(entries) {
      recordWrites.push(entries.length);
      for (const entry of entries) await record(entry);
    },
    chargesOf: async (userId, month) => [...(charges.get(key(userId, month)) ?? [])],
    recordReport: (entry) => record(entry),
  });

  const spending = outage.guard<ReportSpending>({
    async advanceUser(userId, nowMs) {
      advanced.push({ userId, nowMs });
      return 0;
    },
    async summary(userId, month) {
      const byCurrency: ReportTotals['byCurrency'] = {};
      for (const c of charges.get(key(userId, month)) ?? []) {
        const totals = (byCurrency[c.currency] ??= { totalMinor: 0, byCategory: {}, chargesCount: 0 });
        const category = c.category ?? 'uncategorized';
        totals.totalMinor += c.amountMinor;
        totals.byCategory[category] = (totals.byCategory[category] ?? 0) + c.amountMinor;
        totals.chargesCount += 1;
      }
      return { currency: users.get(userId)?.currency ?? 'USD', byCurrency };
    },
  });

  return {
    store,
    spending,
    /** The two activity dependencies, ready to spread into createActivities' deps. */
    deps: { reports: store, spending },
    users,
    rows,
    claims,
    recordWrites,
    advanced,
    outage,
    /** Sets the user's charges of `month`. */
    setCharges: (userId: number, month: string, list: ReportCharge[]) =>
      charges.set(key(userId, month), list),
    row: (userId: number, month: string) => rows.get(key(userId, month)),
  };
}

/** Report links as the auth module builds them; tests only need them distinct per user. */
export const reportLinks = {
  reportsUnsubscribe: (userId: number) => `http://app.test/unsubscribe?token=reports-${userId}`,
};
