import Redis from 'ioredis';

/**
 * A Redis client that fails fast instead of queueing: no offline queue, one retry, ~500 ms per command,
 * so an outage turns into a 503 (or a database fallback) at once rather than after a minute.
 */
export function createRedis(url: string): Redis {
  return new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 500,
    connectTimeout: 1000,
    lazyConnect: false,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
}
