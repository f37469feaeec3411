import Redis from 'ioredis';

/**
 * A Redis client that fails fast instead of queueing: no offline queue, one retry, ~500 ms per command,
 * so an outage turns into a 503 (or a database fallback) at once rather than after a minute.
 */
export function createRedis(url: string, options: { subscriber?: boolean } = {}): Redis {
  return new Redis(url, {
    // A subscriber subscribes again itself once ready (src/cache/process-revocation-cache.ts).
    ...(options.subscriber ? { autoResubscribe: false } : {}),
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 500,
    connectTimeout: 1000,
    lazyConnect: false,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
}

/**
 * Resolves once the client is connected, or after `timeoutMs` (false): a process that starts while Redis is
 * down still serves, answering 503 where Redis is needed, and recovers when it comes back.
 */
export async function waitForRedis(redis: Redis, timeoutMs: number): Promise<boolean> {
  if (redis.status === 'ready') return true;
  return new Promise<boolean>((resolve) => {
    const done = (ok: boolean) => {
      clearTimeout(timer);
      redis.off('ready', onReady);
      resolve(ok);
    };
    const onReady = () => done(true);
    const timer = setTimeout(() => done(false), timeoutMs);
    redis.once('ready', onReady);
  });
}
