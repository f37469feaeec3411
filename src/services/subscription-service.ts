/** Subscriptions of one owner: create, read, list, change, delete. Every query is scoped by owner. */
import { Op } from 'sequelize';
import type { Database } from '../db/database';
import { isUniqueViolation } from '../db/errors';
import type { Subscription, SubscriptionStatus, User } from '../db/models';
import { normaliseKey } from '../db/normalise-key';
import { ConflictError, NotFoundError, ValidationError } from '../errors';
import { addDays, compareDates, localDate, type EpochMs, type IsoDate } from '../time';
import type { AdvanceService } from './advance-service';
import {
  applyChanges,
  sortOffsets,
  type NewSubscription,
  type SubscriptionChanges,
} from './subscription-changes';
import type { OwnerSubscriptionsStore, SubscriptionRow } from './owner-subscriptions-store';
import { type Paged, type PageQuery } from './subscription-paging';
import { OWNER_ATTRIBUTES } from './subscription-schedule';
import { assertCancelByInReach, withTrialDates } from './subscription-terms';

/** Fields a list may be sorted by, and their columns. */
export const SUBSCRIPTION_SORTS = {
  id: 'id',
  name: 'nameKey',
  price: 'priceMinor',
  next_payment_date: 'nextPaymentDate',
  created_at: 'createdAt',
  updated_at: 'updatedAt',
  category: 'category',
  billing_cycle: 'billingCycle',
  status: 'status',
} as const;

export type SubscriptionSort = keyof typeof SUBSCRIPTION_SORTS;

export interface SubscriptionFilter {
  status?: SubscriptionStatus;
  category?: string;
}

/** The fields that decide when the subscription's reminders fire, or whether they do. */
const REMINDER_FIELDS = [
  'anchorDate',
  'trialEndsOn',
  'endsOn',
  'cancelBy',
  'nextPaymentDate',
  'billingCycle',
  'billingInterval',
  'reminderOffsets',
  'status',
] as const;

const NAME_TAKEN = 'You already have a subscription with this name.';

/**
 * How far back a next payment date may go: a past date is advanced inside the request, one ledger row per
 * charge, so 1970-01-01 on a daily plan meant ~20,000 rows. A year bounds that to 366.
 */
export const MAX_PAST_DAYS = 365;

/** 422 when `date` lies more than MAX_PAST_DAYS before `today` (the owner's today). */
function assertNotTooOld(date: IsoDate, today: IsoDate): void {
  const earliest = addDays(today, -MAX_PAST_DAYS);
  if (compareDates(date, earliest) >= 0) return;
  throw new ValidationError(
    { json: { next_payment_date: [`must be on or after ${earliest} (at most ${MAX_PAST_DAYS} days ago)`] } },
    `next_payment_date may be at most ${MAX_PAST_DAYS} days in the past.`,
  );
}

export function createSubscriptionService(deps: {
  db: Database;
  now: () => EpochMs;
  advance: AdvanceService;
  /** Told after a change to what decides the subscription's reminders (wakes the sleeping ones to re-plan). */
  onReminderChange?: (scope: { userId: number; subscriptionId: number }) => Promise<unknown>;
  /** Subscriptions one user may hold, any status (MAX_SUBSCRIPTIONS_PER_USER). */
  maxPerUser: number;
  /** Raw reads for the list and single reads (writes stay on the models). */
  store: OwnerSubscriptionsStore;
}) {
  const { Subscription, User } = deps.db.models;
  const { store } = deps;

  async function ownerOf(userId: number): Promise<User> {
    const owner = await User.findByPk(userId, { attributes: [...OWNER_ATTRIBUTES] });
    if (!owner) throw new NotFoundError('User not found.', 'user_not_found');
    return owner;
  }

  /** The owner's subscription, or 404 (also when it belongs to someone else). */
  async function get(userId: number, id: number): Promise<Subscription> {
    const sub = await Subscription.findOne({ where: { id, userId } });
    if (!sub) throw new NotFoundError('Subscription not found.', 'subscription_not_found');
    return sub;
  }

  async function list(
    userId: number,
    query: PageQuery<SubscriptionSort>,
    filter: SubscriptionFilter = {},
  ): Promise<Paged<SubscriptionRow>> {
    const listQuery = {
      ...filter,
      sort: SUBSCRIPTION_SORTS[query.sort.field],
      descending: query.sort.descending,
      offset: query.offset,
      limit: query.limit,
    };
    const rows = await store.page(userId, listQuery);
    // A page that is neither full nor past the end is the last one: the total needs no COUNT round trip.
    const last = rows.length < query.limit && (rows.length > 0 || query.offset === 0);
    const total = last ? query.offset + rows.length : await store.count(userId, listQuery);
    return { items: rows, total };
  }

  /** The owner's subscription to show (a raw row, no model instance), or 404. */
  async function read(userId: number, id: number): Promise<SubscriptionRow> {
    const sub = await store.one(userId, id);
    if (!sub) throw new NotFoundError('Subscription not found.', 'subscription_not_found');
    return sub;
  }

  /**
   * Creates it; a past next payment date becomes the anchor and is advanced at once (ledger rows included).
   * The owner, the quota and the name are checked in one round trip; the answer is the row as stored.
   */
  async function create(userId: number, newSubscription: NewSubscription): Promise<SubscriptionRow> {
    const found = await store.creationCheck(userId, normaliseKey(newSubscription.name));
    if (!found) throw new NotFoundError('User not found.', 'user_not_found');
    const { owner } = found;
    const now = deps.now();
    const today = localDate(now, owner.timezone);
    const input = withTrialDates(newSubscription, null, today) as NewSubscription & {
      nextPaymentDate: IsoDate;
    };
    assertNotTooOld(input.nextPaymentDate, today);
    assertCancelByInReach(input.cancelBy, today);
    if (found.count >= deps.maxPerUser) throw quotaReached();
    if (found.nameTaken) throw new ConflictError('name_taken', NAME_TAKEN);
    const sub = Subscription.build({
      userId,
      name: input.name,
      priceMinor: input.priceMinor,
      currency: input.currency ?? owner.currency,
      billingCycle: input.billingCycle,
      billingInterval: input.billingInterval ?? 1,
      anchorDate: input.nextPaymentDate,
      nextPaymentDate: input.nextPaymentDate,
      trialEndsOn: input.trialEndsOn ?? null,
      endsOn: input.endsOn ?? null,
      cancelBy: input.cancelBy ?? null,
      category: input.category ?? null,
      status: input.status ?? 'active',
      reminderOffsets: input.reminderOffsets ? sortOffsets(input.reminderOffsets) : null,
      notes: input.notes ?? null,
      url: input.url ?? null,
      // The service clock, not the database's: reminders before this instant are never sent or missed.
      createdAt: new Date(now),
    });
    await saveUnique(sub);
    await deps.advance.advanceSubscription(sub, owner, now);
    // As stored (MariaDB keeps the implicit updated_at to the second); 404 if a concurrent delete won.
    return read(userId, sub.id);
  }

  /** Applies a partial change (PUT and PATCH); a renamed one must stay unique. */
  async function update(userId: number, id: number, requested: SubscriptionChanges): Promise<Subscription> {
    const [owner, sub] = await Promise.all([ownerOf(userId), get(userId, id)]);
    const now = deps.now();
    const changes = withTrialDates(requested, sub, localDate(now, owner.timezone));
    assertCancelByInReach(changes.cancelBy, localDate(now, owner.timezone));
    if (changes.nextPaymentDate !== undefined) {
      assertNotTooOld(changes.nextPaymentDate, localDate(now, owner.timezone));
    }
    if (changes.name !== undefined && normaliseKey(changes.name) !== sub.nameKey) {
      await assertNameFree(userId, changes.name, id);
    }
    // Charges that came due while it was active are booked before anything (a pause, a new date) changes.
    await deps.advance.advanceSubscription(sub, owner, now);
    const advanceNow = applyChanges(sub, changes, localDate(now, owner.timezone));
    const replan = REMINDER_FIELDS.some((field) => sub.changed(field));
    await saveUnique(sub);
    if (advanceNow) await deps.advance.advanceSubscription(sub, owner, now);
    if (replan) await deps.onReminderChange?.({ userId, subscriptionId: id });
    return reloaded(sub);
  }

  /** Deletes it with its reminder logs; its ledger rows stay, unlinked. */
  async function remove(userId: number, id: number): Promise<void> {
    const sub = await get(userId, id);
    // The destroy hook bumps the owner's data version inside this transaction.
    await deps.db.sequelize.transaction((transaction) => sub.destroy({ transaction }));
  }

  /**
   * 409 once the owner holds maxPerUser subscriptions. Two concurrent creates may both pass the count and
   * end one over: the quota bounds work and storage, it is not an invariant.
   */
  function quotaReached(): ConflictError {
    return new ConflictError(
      'subscription_limit_reached',
      `You have reached the limit of ${deps.maxPerUser} subscriptions: delete one to add another.`,
    );
  }

  async function assertNameFree(userId: number, name: string, exceptId?: number): Promise<void> {
    const where = { userId, nameKey: normaliseKey(name), ...(exceptId ? { id: { [Op.ne]: exceptId } } : {}) };
    if (await Subscription.findOne({ where, attributes: ['id'] }))
      throw new ConflictError('name_taken', NAME_TAKEN);
  }

  /** As stored (MariaDB keeps the implicit updated_at to the second); 404 if a concurrent delete won. */
  async function reloaded(sub: Subscription): Promise<Subscription> {
    const fresh = await Subscription.findByPk(sub.id);
    if (!fresh) throw new NotFoundError('Subscription not found.', 'subscription_not_found');
    return fresh;
  }

  /**
   * Saves (the save hook bumps the owner's data version in the same transaction); the (user_id, name_key)
   * index decides races the check above cannot see.
   */
  async function saveUnique(sub: Subscription): Promise<void> {
    if (!sub.isNewRecord && !sub.changed()) return;
    try {
      await deps.db.sequelize.transaction((transaction) => sub.save({ transaction }));
    } catch (err) {
      if (isUniqueViolation(err)) throw new ConflictError('name_taken', NAME_TAKEN);
      throw err;
    }
  }

  return { get, read, list, create, update, remove, ownerOf };
}

export type SubscriptionService = ReturnType<typeof createSubscriptionService>;
