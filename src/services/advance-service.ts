/**
 * Advancing due payments (docs/time.md): for every active subscription whose next payment date has passed
 * in its owner's zone, one ledger row per occurrence that came due (none after a fixed term's last day, and
 * once that day has passed the plan is cancelled), a `skipped`/`missed` log for each of that
 * occurrence's reminders not yet logged, and next_payment_date moved to the first occurrence on or after
 * today. Safe to run twice or concurrently: the unique keys (payments (subscription_id, due_date),
 * reminder_logs idempotency_key) decide, and the date only moves from the value that was read.
 */
import { Op, type Transaction } from 'sequelize';
import { bumpDataVersion } from '../db/data-version';
import type { Database } from '../db/database';
import type { Subscription } from '../db/models';
import { advance, localDate, type EpochMs } from '../time';
import {
  OWNER_ATTRIBUTES,
  remindersNotBefore,
  reminderKey,
  remindersOf,
  scheduleOf,
  type Owner,
} from './subscription-schedule';
import { lastChargeDate, reminderKindFor, termEnded } from './subscription-terms';

/** What one page (or a whole run) did. */
export interface AdvanceReport {
  /** Subscriptions read. */
  scanned: number;
  /** Subscriptions whose next payment date this run moved. */
  advanced: number;
  /** Occurrences that came due (each has its ledger row afterwards, written now or by an earlier run). */
  charges: number;
  /** Reminders of those occurrences logged as skipped/missed (or already logged). */
  missedReminders: number;
}

export interface AdvanceOptions {
  /** The instant to advance to (epoch ms); defaults to the service clock. */
  now?: EpochMs;
  /** Only this user's subscriptions. */
  userId?: number;
  /** Subscriptions per page (default 250). */
  pageSize?: number;
  /** Resume after this subscription id (the cursor of a previous page). */
  afterId?: number;
}

/** The latest "today" anywhere (UTC+14): no subscription with a later next payment date is due yet. */
const EARLIEST_ZONE = 'Pacific/Kiritimati';
const INSERT_CHUNK = 500;

export function createAdvanceService(deps: { db: Database; now: () => EpochMs }) {
  const { Subscription, Payment, ReminderLog, User } = deps.db.models;

  /** Advances one subscription (loaded with or without its owner) to `now`; a no-op unless active and due. */
  async function advanceSubscription(sub: Subscription, owner: Owner, now: EpochMs): Promise<AdvanceReport> {
    const report: AdvanceReport = { scanned: 1, advanced: 0, charges: 0, missedReminders: 0 };
    if (sub.status !== 'active') return report;
    const from = sub.nextPaymentDate;
    const today = localDate(now, owner.timezone);
    const { due: occurred, next } = advance(scheduleOf(sub), from, today);
    // A fixed term charges nothing after its last day, and ends the plan once that day has passed.
    const due = occurred.filter((dueDate) => lastChargeDate(sub, dueDate) === dueDate);
    const ended = termEnded(sub, today);
    if (occurred.length === 0 && !ended) return report;
    const missed = due.flatMap((dueDate) => missedRemindersOf(sub, owner, dueDate, now));
    let moved: number;
    try {
      // One transaction with the owner's data-version bump: a reader sees the ledger, the logs and the new date
      // together with the new version, never part of them under the old one.
      moved = await deps.db.sequelize.transaction(async (transaction) => {
        await bumpDataVersion(deps.db.sequelize, [sub.userId], transaction);
        await insertIgnoringDuplicates(
          Payment,
          due.map((dueDate) => chargeOf(sub, dueDate)),
          transaction,
        );
        await insertIgnoringDuplicates(ReminderLog, missed, transaction);
        const [count] = await Subscription.update(
          ended ? { nextPaymentDate: next, status: 'cancelled' } : { nextPaymentDate: next },
          { where: { id: sub.id, nextPaymentDate: from, status: 'active' }, transaction },
        );
        return count;
      });
    } catch (err) {
      // Deleted while we were writing: its rows are gone (or unlinked) with it.
      if ((err as { name?: string }).name === 'SequelizeForeignKeyConstraintError') return report;
      throw err;
    }
    report.charges = due.length;
    report.missedReminders = missed.length;
    if (moved > 0) {
      report.advanced = 1;
      sub.setDataValue('nextPaymentDate', next);
      if (ended) sub.setDataValue('status', 'cancelled');
    }
    return report;
  }

  /** One page of due subscriptions, in id order; `nextAfterId` is null when there are no more. */
  async function advancePage(options: AdvanceOptions = {}) {
    const now = options.now ?? deps.now();
    const pageSize = options.pageSize ?? 250;
    const rows = await Subscription.findAll({
      where: {
        status: 'active',
        // Due, or a fixed term whose last day has passed somewhere (it ends in its owner's zone).
        [Op.or]: [
          { nextPaymentDate: { [Op.lt]: localDate(now, EARLIEST_ZONE) } },
          { endsOn: { [Op.lt]: localDate(now, EARLIEST_ZONE) } },
        ],
        id: { [Op.gt]: options.afterId ?? 0 },
        ...(options.userId === undefined ? {} : { userId: options.userId }),
      },
      include: [{ model: User, attributes: [...OWNER_ATTRIBUTES] }],
      order: [['id', 'ASC']],
      limit: pageSize,
    });
    const total: AdvanceReport = { scanned: 0, advanced: 0, charges: 0, missedReminders: 0 };
    for (const sub of rows) add(total, await advanceSubscription(sub, sub.user!, now));
    const nextAfterId = rows.length < pageSize ? null : rows[rows.length - 1]!.id;
    return { ...total, nextAfterId };
  }

  /** Every page, in order; `onPage` runs after each (an activity heartbeats there). */
  async function advanceDue(options: AdvanceOptions & { onPage?: (report: AdvanceReport) => unknown } = {}) {
    const now = options.now ?? deps.now();
    const total: AdvanceReport = { scanned: 0, advanced: 0, charges: 0, missedReminders: 0 };
    let afterId: number | null = options.afterId ?? 0;
    while (afterId !== null) {
      const page: Awaited<ReturnType<typeof advancePage>> = await advancePage({ ...options, now, afterId });
      add(total, page);
      await options.onPage?.(page);
      afterId = page.nextAfterId;
    }
    return total;
  }

  return { advanceDue, advancePage, advanceSubscription };
}

export type AdvanceService = ReturnType<typeof createAdvanceService>;

function chargeOf(sub: Subscription, dueDate: string) {
  return {
    subscriptionId: sub.id,
    userId: sub.userId,
    name: sub.name,
    category: sub.category ?? null,
    dueDate,
    amountMinor: sub.priceMinor,
    currency: sub.currency,
  };
}

/** The occurrence's reminders that could have been sent (after creation / anchor) but were not: skipped, missed. */
function missedRemindersOf(sub: Subscription, owner: Owner, dueDate: string, now: EpochMs) {
  const notBefore = remindersNotBefore(sub, owner);
  return remindersOf(sub, owner, dueDate)
    .filter(({ at }) => at >= notBefore && at <= now)
    .map(({ offsetDays }) => ({
      subscriptionId: sub.id,
      userId: sub.userId,
      dueDate,
      offsetDays,
      kind: reminderKindFor(sub, dueDate),
      idempotencyKey: reminderKey(sub.id, dueDate, offsetDays, reminderKindFor(sub, dueDate)),
      status: 'skipped' as const,
      reason: 'missed',
      success: false,
    }));
}

/** INSERT OR IGNORE / INSERT IGNORE in chunks: a row whose unique key exists is left as it is. */
async function insertIgnoringDuplicates<R extends object>(
  model: {
    bulkCreate(rows: R[], options: { ignoreDuplicates: boolean; transaction: Transaction }): Promise<unknown>;
  },
  rows: R[],
  transaction: Transaction,
): Promise<void> {
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    await model.bulkCreate(rows.slice(i, i + INSERT_CHUNK), { ignoreDuplicates: true, transaction });
  }
}

function add(total: AdvanceReport, page: AdvanceReport): void {
  total.scanned += page.scanned;
  total.advanced += page.advanced;
  total.charges += page.charges;
  total.missedReminders += page.missedReminders;
}
