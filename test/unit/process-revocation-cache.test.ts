import { EventEmitter } from 'node:events';
import type Redis from 'ioredis';
import { createProcessRevocationCache, REVOCATION_CHANNEL } from '../../src/cache/process-revocation-cache';
import type { RevocationCache } from '../../src/cache/revocation-cache';

/** Redis as the layer sees it: a subscriber that emits, a publisher that records, an inner cache in a map. */
function setup() {
  const subscriber = Object.assign(new EventEmitter(), {
    subscribe: jest.fn(async () => 1),
    disconnect: jest.fn(),
  });
  const published: string[] = [];
  const publisher = {
    publish: jest.fn(async (_channel: string, key: string) => {
      published.push(key);
      return 1;
    }),
  };
  const stored = new Map<string, boolean>();
  const inner: RevocationCache & { reads: number } = {
    reads: 0,
    async isRevoked(key) {
      inner.reads += 1;
      return stored.get(key);
    },
    async remember(key, revoked) {
      stored.set(key, revoked);
    },
    async ping() {},
    async close() {},
  };
  const cache = createProcessRevocationCache(inner, {
    publisher: publisher as unknown as Redis,
    subscriber: subscriber as unknown as Redis,
  });
  const listen = async () => {
    subscriber.emit('ready');
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { subscriber, published, stored, inner, cache, listen };
}

describe('process revocation cache', () => {
  it('answers a session Redis called live from memory once subscribed', async () => {
    const { stored, inner, cache, listen } = setup();
    await listen();
    stored.set('1:a', false);
    expect(await cache.isRevoked('1:a')).toBe(false);
    expect(await cache.isRevoked('1:a')).toBe(false);
    expect(inner.reads).toBe(1);
  });

  it('drops a session when another process publishes its revocation', async () => {
    const { subscriber, stored, cache, listen } = setup();
    await listen();
    stored.set('1:a', false);
    await cache.isRevoked('1:a');
    stored.set('1:a', true);
    subscriber.emit('message', REVOCATION_CHANNEL, '1:a');
    expect(await cache.isRevoked('1:a')).toBe(true);
  });

  it('publishes its own revocations and forgets the session at once', async () => {
    const { published, stored, cache, listen } = setup();
    await listen();
    stored.set('1:a', false);
    await cache.isRevoked('1:a');
    await cache.remember('1:a', true, 60);
    expect(published).toEqual(['1:a']);
    expect(await cache.isRevoked('1:a')).toBe(true);
  });

  it('vouches for nothing before the subscription is confirmed or after it is lost', async () => {
    const { subscriber, stored, inner, cache, listen } = setup();
    stored.set('1:a', false);
    await cache.isRevoked('1:a');
    await cache.isRevoked('1:a');
    expect(inner.reads).toBe(2);

    await listen();
    await cache.isRevoked('1:a');
    subscriber.emit('reconnecting');
    // A revocation published while disconnected never arrives: memory must not answer.
    stored.set('1:a', true);
    expect(await cache.isRevoked('1:a')).toBe(true);
  });

  it('does not keep a live answer read while a revocation message arrived', async () => {
    const { subscriber, stored, inner, cache, listen } = setup();
    await listen();
    stored.set('1:a', false);
    const slow = inner.isRevoked.bind(inner);
    inner.isRevoked = async (key) => {
      const answer = await slow(key);
      subscriber.emit('message', REVOCATION_CHANNEL, key);
      stored.set(key, true);
      return answer;
    };
    expect(await cache.isRevoked('1:a')).toBe(false);
    inner.isRevoked = slow;
    expect(await cache.isRevoked('1:a')).toBe(true);
  });
});
