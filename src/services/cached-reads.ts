/**
 * Upcoming charges and the monthly summary, cached per process and per user under a tag: the user's data
 * version (bumped in the same transaction as every write that changes either answer, src/db/data-version.ts),
 * the owner's local day and the current hour. The tag is read from the database on every request (one
 * primary-key lookup), so a write made by any process, API or worker, shows on the very next read; it is also
 * the ETag, so a client holding it gets "not modified" without anything being computed.
 */
import { NotFoundError } from '../errors';
import { localDate, type EpochMs, type IsoMonth } from '../time';
import type { OwnerSubscriptionsStore } from './owner-subscriptions-store';
import type { StatsService } from './stats-service';
import type { UpcomingService } from './upcoming-service';

/** `value` is absent when `seen` (the client's If-None-Match) still matches `etag`. */
export interface Tagged<T> {
  etag: string;
  value?: T;
}

const HOUR_MS = 3_600_000;
/** Users whose answers a process keeps (the oldest goes first), and answers per user (pages, months). */
const MAX_USERS = 10_000;
const MAX_PER_USER = 32;

export function createCachedReads(deps: {
  store: OwnerSubscriptionsStore;
  now: () => EpochMs;
  upcoming: UpcomingService;
  stats: Pick<StatsService, 'summary'>;
  /**
   * When exchange rates were last written (global, not per user): part of the summary's key, since a rates
   * run converts every home-currency total anew without touching any user's data version.
   */
  ratesWrittenAt: () => Promise<Date | null>;
}) {
  const byUser = new Map<number, { tag: string; answers: Map<string, unknown> }>();

  /** The user's current tag; 404 when the user is gone. */
  async function tagOf(userId: number): Promise<string> {
    const found = await deps.store.dataVersion(userId);
    if (!found) throw new NotFoundError('User not found.', 'user_not_found');
    const now = deps.now();
    // The local day decides every answer; the hour bounds what a missed bump could ever leave stale.
    return `${userId.toString(36)}.${found.version}.${localDate(now, found.timezone)}.${Math.floor(now / HOUR_MS)}`;
  }

  async function read<T>(
    userId: number,
    key: string,
    seen: string | undefined,
    compute: () => Promise<T>,
  ): Promise<Tagged<T>> {
    const tag = await tagOf(userId);
    const etag = `"${tag}.${key}"`;
    if (seen !== undefined && matches(seen, etag)) return { etag };
    let entry = byUser.get(userId);
    if (entry?.tag !== tag) {
      byUser.delete(userId);
      if (byUser.size >= MAX_USERS) byUser.delete(byUser.keys().next().value!);
      entry = { tag, answers: new Map() };
      byUser.set(userId, entry);
    }
    if (entry.answers.has(key)) return { etag, value: entry.answers.get(key) as T };
    // Computed after the tag was read: a write landing in between shows here and moves the tag for the next read.
    const value = await compute();
    if (entry.answers.size >= MAX_PER_USER) entry.answers.clear();
    entry.answers.set(key, value);
    return { etag, value };
  }

  return {
    upcoming: (userId: number, days: number, page: { offset: number; limit: number }, seen?: string) =>
      read(userId, `u${days}-${page.offset}-${page.limit}`, seen, () =>
        deps.upcoming.upcoming(userId, days, page),
      ),
    summary: async (userId: number, month: IsoMonth | undefined, seen?: string) => {
      const rates = (await deps.ratesWrittenAt())?.getTime() ?? 0;
      return read(userId, `s${month ?? ''}-${rates.toString(36)}`, seen, () =>
        deps.stats.summary(userId, month),
      );
    },
  };
}

/** If-None-Match: a list of tags (weak or strong, compared weakly) or `*`. */
function matches(header: string, etag: string): boolean {
  if (header.trim() === '*') return true;
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}

export type CachedReads = ReturnType<typeof createCachedReads>;
