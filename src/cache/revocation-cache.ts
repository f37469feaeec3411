import type Redis from 'ioredis';

/**
 * Caches revoked session ids in front of the database (the source of truth). `get` answers `undefined`
 * when the cache does not know or is down: the caller then asks the database.
 */
export interface RevocationCache {
  isRevoked(sid: string): Promise<boolean | undefined>;
  /**
   * A revocation always overwrites. "Live" is written only where nothing is cached yet (SET NX): a reader
   * that saw the session live in the database must not cover a revoke that landed after its read.
   */
  remember(sid: string, revoked: boolean, ttlSeconds: number): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Redis-backed cache; every failure degrades to "unknown". */
export function createRedisRevocationCache(redis: Redis, prefix = 'st:sess:'): RevocationCache {
  return {
    async isRevoked(sid) {
      try {
        const value = await redis.get(prefix + sid);
        return value === null ? undefined : value === '1';
      } catch {
        return undefined;
      }
    },
    async remember(sid, revoked, ttlSeconds) {
      try {
        const ttl = Math.max(1, Math.ceil(ttlSeconds));
        if (revoked) await redis.set(prefix + sid, '1', 'EX', ttl);
        else await redis.set(prefix + sid, '0', 'EX', ttl, 'NX');
      } catch {
        // The database stays authoritative; a missed cache write only costs a query later.
      }
    },
    async ping() {
      await redis.ping();
    },
    async close() {
      redis.disconnect();
    },
  };
}

/** In-process cache for the embedded default (single process). */
export function createMemoryRevocationCache(now: () => number = Date.now): RevocationCache {
  const entries = new Map<string, { revoked: boolean; expiresAt: number }>();
  return {
    async isRevoked(sid) {
      const entry = entries.get(sid);
      if (!entry) return undefined;
      if (entry.expiresAt <= now()) {
        entries.delete(sid);
        return undefined;
      }
      return entry.revoked;
    },
    async remember(sid, revoked, ttlSeconds) {
      if (!revoked && (await this.isRevoked(sid)) !== undefined) return;
      if (entries.size > 100_000) entries.clear();
      entries.set(sid, { revoked, expiresAt: now() + ttlSeconds * 1000 });
    },
    async ping() {},
    async close() {
      entries.clear();
    },
  };
}
