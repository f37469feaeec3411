import crypto from 'node:crypto';
import { hashSecret } from '../auth/api-token-secret';
import type { Database } from '../db/database';
import type { Subscription } from '../db/models';
import { NotFoundError } from '../errors';
import { compareDates, localDate, maxDate, occurrenceAt, type EpochMs, type IsoDate } from '../time';
import { OWNER_ATTRIBUTES, chargeDatesWithin, remindersOf, type Owner } from './subscription-schedule';

/** A feed lists at most this many charges (earliest first): daily plans over a year add up fast. */
export const MAX_FEED_EVENTS = 5000;

/** One upcoming charge and the instants of its reminders, as the feed shows it. */
export interface FeedCharge {
  subscription: Subscription;
  dueDate: IsoDate;
  reminders: { offsetDays: number; at: EpochMs }[];
}

/** A cancel-by deadline of an active subscription and the instants of its reminders. */
export interface FeedDeadline {
  subscription: Subscription;
  date: IsoDate;
  reminders: { offsetDays: number; at: EpochMs }[];
}

export interface FeedContent {
  owner: Owner & { username: string; updatedAt: Date };
  charges: FeedCharge[];
  deadlines: FeedDeadline[];
}

/** The secret calendar-feed URL of a user (create, rotate, revoke) and what the feed holds. */
export function createCalendarFeedService(deps: { db: Database; now: () => EpochMs; months: number }) {
  const { CalendarFeed, Subscription, User } = deps.db.models;

  /** A new token for the user's feed; any previous URL stops working at once. Returns the token. */
  async function rotate(userId: number): Promise<string> {
    const token = crypto.randomBytes(32).toString('base64url');
    await deps.db.sequelize.transaction(async (transaction) => {
      await CalendarFeed.destroy({ where: { userId }, transaction });
      await CalendarFeed.create(
        { userId, tokenHash: hashSecret(token), createdAt: new Date(deps.now()) },
        { transaction },
      );
    });
    return token;
  }

  async function revoke(userId: number): Promise<void> {
    const count = await CalendarFeed.destroy({ where: { userId } });
    if (count === 0) throw new NotFoundError('No calendar feed to revoke.', 'calendar_feed_not_found');
  }

  /** The feed behind a token: the owner's active subscriptions' charges and deadlines for the configured months. */
  async function contentOf(token: string): Promise<FeedContent> {
    const feed = await CalendarFeed.findOne({ where: { tokenHash: hashSecret(token) } });
    const owner = feed
      ? await User.findByPk(feed.userId, { attributes: [...OWNER_ATTRIBUTES, 'username', 'updatedAt'] })
      : null;
    if (!feed || !owner) throw new NotFoundError('Calendar feed not found.', 'calendar_feed_not_found');
    const today = localDate(deps.now(), owner.timezone);
    // The date module's month arithmetic: Jan 31 + 1 month is Feb 28/29, never a hand-made overflow.
    const end = occurrenceAt({ anchor: today, cycle: 'monthly', interval: deps.months }, 1);
    const subs = await Subscription.findAll({
      where: { userId: owner.id, status: 'active' },
      order: [['id', 'ASC']],
    });
    const charges = subs
      .flatMap((subscription) =>
        chargeDatesWithin(subscription, maxDate(today, subscription.nextPaymentDate), end).map((dueDate) => ({
          subscription,
          dueDate,
        })),
      )
      .sort((a, b) => a.dueDate.localeCompare(b.dueDate) || a.subscription.id - b.subscription.id)
      .slice(0, MAX_FEED_EVENTS)
      .map(({ subscription, dueDate }) => ({
        subscription,
        dueDate,
        reminders: remindersOf(subscription, owner, dueDate),
      }));
    // Deadlines still ahead within the feed's months; their alarms fall where the cancel-by reminders do.
    const deadlines = subs
      .filter(
        ({ cancelBy }) => cancelBy && compareDates(cancelBy, today) >= 0 && compareDates(cancelBy, end) < 0,
      )
      .map((subscription) => ({
        subscription,
        date: subscription.cancelBy!,
        reminders: remindersOf(subscription, owner, subscription.cancelBy!),
      }));
    return { owner, charges, deadlines };
  }

  return { rotate, revoke, contentOf };
}

export type CalendarFeedService = ReturnType<typeof createCalendarFeedService>;
