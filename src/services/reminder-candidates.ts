/**
 * The reminder check's paged candidate query: subscriptions in id order (active, owner verified with reminders
 * on, next payment within reach of the window), their logged and started keys, and planReminders per
 * subscription. A page holds about `limit` reminders and never splits a subscription, so the cursor is an id.
 */
import { Op, QueryTypes } from 'sequelize';
import type { ReminderCandidatePage } from '../../activities/ports';
import type { Database } from '../db/database';
import type { Subscription, User } from '../db/models';
import { addDays, localDate, type EpochMs } from '../time';
import { candidateWindowEnd, planReminders } from './reminder-plan';

/** Subscriptions read per query. */
const BATCH = 200;
/** Largest reminder offset (days): no subscription due later than window end + this has a candidate. */
const MAX_OFFSET_DAYS = 90;
/** The latest "today" anywhere (UTC+14). */
const EARLIEST_ZONE = 'Pacific/Kiritimati';
/** The earliest "today" anywhere (UTC-12). */
const LATEST_ZONE = 'Etc/GMT+12';

export const OWNER_FIELDS = [
  'id',
  'username',
  'email',
  'emailVerifiedAt',
  'timezone',
  'reminderHour',
  'reminderOffsets',
  'remindersEnabled',
  'remindersChangedAt',
] as const;

/** A subscription row with its owner, in the shapes the ports and planReminders use. */
export function toReminderContext(sub: Subscription, owner: User) {
  return {
    subscription: {
      id: sub.id,
      userId: sub.userId,
      name: sub.name,
      priceMinor: sub.priceMinor,
      currency: sub.currency,
      billingCycle: sub.billingCycle,
      billingInterval: sub.billingInterval,
      anchorDate: sub.anchorDate,
      nextPaymentDate: sub.nextPaymentDate,
      status: sub.status,
      reminderOffsets: sub.reminderOffsets,
      trialEndsOn: sub.trialEndsOn ?? null,
      endsOn: sub.endsOn ?? null,
      cancelBy: sub.cancelBy ?? null,
      createdAtMs: sub.createdAt.getTime(),
      remindersChangedAtMs: sub.remindersChangedAt?.getTime() ?? null,
    },
    owner: {
      id: owner.id,
      username: owner.username,
      email: owner.email,
      emailVerified: !!owner.emailVerifiedAt,
      timezone: owner.timezone,
      reminderHour: owner.reminderHour,
      reminderOffsets: owner.reminderOffsets,
      remindersEnabled: owner.remindersEnabled,
      remindersChangedAtMs: owner.remindersChangedAt?.getTime() ?? null,
    },
  };
}

export async function listReminderCandidates(
  db: Database,
  options: { afterId: number; limit: number; nowMs: EpochMs; onBatch?: () => void },
): Promise<ReminderCandidatePage> {
  const { Subscription, User } = db.models;
  const windowEndMs = candidateWindowEnd(options.nowMs);
  const lastDueDate = addDays(localDate(windowEndMs, EARLIEST_ZONE), MAX_OFFSET_DAYS);
  const page: ReminderCandidatePage = { starts: [], skips: [], cursor: options.afterId, more: false };
  for (;;) {
    const rows = await Subscription.findAll({
      where: {
        id: { [Op.gt]: page.cursor },
        status: 'active',
        // A cancel-by deadline usually comes well before the next charge (an annual plan's notice period).
        [Op.or]: [
          { nextPaymentDate: { [Op.lte]: lastDueDate } },
          { cancelBy: { [Op.between]: [addDays(localDate(options.nowMs, LATEST_ZONE), -1), lastDueDate] } },
        ],
      },
      include: [
        {
          model: User,
          attributes: [...OWNER_FIELDS],
          required: true,
          where: { emailVerifiedAt: { [Op.ne]: null }, remindersEnabled: true },
        },
      ],
      order: [['id', 'ASC']],
      limit: BATCH,
    });
    options.onBatch?.();
    const handled = await handledKeys(
      db,
      rows.map((r) => r.id),
      options.nowMs,
    );
    for (const sub of rows) {
      const plan = planReminders({
        ...toReminderContext(sub, sub.user!),
        handled,
        nowMs: options.nowMs,
        windowEndMs,
      });
      const size = plan.starts.length + plan.skips.length;
      const pageSize = page.starts.length + page.skips.length;
      if (pageSize > 0 && pageSize + size > options.limit) return { ...page, more: true };
      page.starts.push(...plan.starts);
      page.skips.push(...plan.skips);
      page.cursor = sub.id;
    }
    if (rows.length < BATCH) return page;
  }
}

/**
 * Keys of these subscriptions' reminders that were logged or whose workflow was started, for payments not yet
 * due (a due date before the earliest "today" anywhere cannot matter).
 */
async function handledKeys(db: Database, subscriptionIds: number[], nowMs: EpochMs): Promise<Set<string>> {
  if (subscriptionIds.length === 0) return new Set();
  const since = addDays(localDate(nowMs, LATEST_ZONE), -1);
  const rows = await db.sequelize.query<{ k: string }>(
    `SELECT idempotency_key AS k FROM reminder_logs WHERE subscription_id IN (:ids) AND due_date >= :since
     UNION ALL
     SELECT idempotency_key AS k FROM reminder_starts WHERE subscription_id IN (:ids) AND due_date >= :since`,
    { type: QueryTypes.SELECT, replacements: { ids: subscriptionIds, since } },
  );
  return new Set(rows.map((r) => r.k));
}
