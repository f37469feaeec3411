import type Redis from 'ioredis';
import type { RevocationCache } from './revocation-cache';

/** Every process listens here; a revocation publishes the session's cache key. */
export const REVOCATION_CHANNEL = 'st:sess:revoked';
/** How long a process vouches for a session Redis called live (session expiry is honoured at most this late). */
const LOCAL_LIVE_MS = 10_000;
const MAX_ENTRIES = 100_000;

/**
 * A per-process layer over the Redis revocation cache: a session Redis called live is remembered in memory,
 * so an authenticated request needs neither Redis nor the database. Every revocation publishes its key on
 * REVOCATION_CHANNEL before the revoking request answers, and every process drops the key when the message
 * arrives. While the subscription is not confirmed (starting, Redis down, reconnecting) the layer vouches for
 * nothing and every check goes to Redis (then the database), as without it.
 */
export function createProcessRevocationCache(
  inner: RevocationCache,
  clients: { publisher: Redis; subscriber: Redis },
  onError: (err: Error) => void = () => {},
  now: () => number = Date.now,
): RevocationCache {
  const { publisher, subscriber } = clients;
  const live = new Map<string, number>();
  let listening = false;
  // Moves on every message and every loss of the subscription: a Redis answer read before it is not trusted.
  let epoch = 0;

  const forgetAll = () => {
    listening = false;
    epoch += 1;
    live.clear();
  };
  subscriber.on('message', (channel: string, key: string) => {
    if (channel !== REVOCATION_CHANNEL) return;
    epoch += 1;
    live.delete(key);
  });
  for (const event of ['close', 'end', 'reconnecting', 'error']) subscriber.on(event, forgetAll);
  subscriber.on('ready', () => {
    subscriber.subscribe(REVOCATION_CHANNEL).then(
      () => {
        live.clear();
        listening = true;
      },
      (err: Error) => {
        forgetAll();
        onError(err);
      },
    );
  });

  return {
    async isRevoked(key) {
      if (listening) {
        const until = live.get(key);
        if (until !== undefined && until > now()) return false;
        if (until !== undefined) live.delete(key);
      }
      const seen = epoch;
      const answer = await inner.isRevoked(key);
      if (answer === false && listening && seen === epoch) {
        if (live.size >= MAX_ENTRIES) live.clear();
        live.set(key, now() + LOCAL_LIVE_MS);
      }
      return answer;
    },

    async remember(key, revoked, ttlSeconds) {
      await inner.remember(key, revoked, ttlSeconds);
      if (!revoked) return;
      live.delete(key);
      epoch += 1;
      try {
        await publisher.publish(REVOCATION_CHANNEL, key);
      } catch (err) {
        // Redis is down for the other processes too: their subscriptions are lost and they trust nothing local.
        onError(err as Error);
      }
    },

    ping: () => inner.ping(),

    async close() {
      forgetAll();
      subscriber.disconnect();
      await inner.close();
    },
  };
}
