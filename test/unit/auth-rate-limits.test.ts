import Redis from 'ioredis';
import { createRateLimits } from '../../src/auth/rate-limits';

const codeOf = async (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (err: { code?: string; details?: { retryAfterSeconds?: number } }) => err.code,
  );

describe('rate limits in memory', () => {
  it('consume allows the budget, then throws rate_limited with a Retry-After', async () => {
    const limits = createRateLimits({ prefix: 'u1-' });
    for (let i = 0; i < 10; i += 1) await limits.register.consume('ip');
    const err = await limits.register.consume('ip').catch((e: { code: string; details: object }) => e);
    expect(err).toMatchObject({ code: 'rate_limited', details: { retryAfterSeconds: expect.any(Number) } });
    expect(await codeOf(limits.register.consume('other-ip'))).toBe('ok');
  });

  it('reset forgets a spent budget', async () => {
    const limits = createRateLimits({ prefix: 'u2-' });
    for (let i = 0; i < 5; i += 1) await limits.loginPair.consume('k');
    expect(await codeOf(limits.loginPair.consume('k'))).toBe('rate_limited');
    await limits.loginPair.reset('k');
    expect(await codeOf(limits.loginPair.consume('k'))).toBe('ok');
  });

  it('reward gives a consumed point back, and configured budgets replace the defaults', async () => {
    const limits = createRateLimits({ prefix: 'u6-', budgets: { loginIp: { points: 2, duration: 60 } } });
    await limits.loginIp.consume('ip');
    await limits.loginIp.consume('ip');
    await limits.loginIp.reward('ip');
    expect(await codeOf(limits.loginIp.consume('ip'))).toBe('ok');
    expect(await codeOf(limits.loginIp.consume('ip'))).toBe('rate_limited');
  });

  it('tryConsume answers false once spent instead of throwing', async () => {
    const limits = createRateLimits({ prefix: 'u3-' });
    const results = [];
    for (let i = 0; i < 4; i += 1) results.push(await limits.forgotEmail.tryConsume('a@example.com'));
    expect(results).toEqual([true, true, true, false]);
  });
});

describe('rate limits with Redis down', () => {
  let redis: Redis;
  beforeAll(() => {
    redis = new Redis('redis://127.0.0.1:1', { enableOfflineQueue: false, lazyConnect: true });
  });
  afterAll(() => redis.disconnect());

  it('login budgets fail with service_unavailable rather than letting every guess through', async () => {
    const limits = createRateLimits({ redis, prefix: 'u4-' });
    expect(await codeOf(limits.loginPair.consume('k'))).toBe('service_unavailable');
    expect(await codeOf(limits.loginIp.reward('k'))).toBe('service_unavailable');
  });

  it('other budgets fall back to memory', async () => {
    const limits = createRateLimits({ redis, prefix: 'u5-' });
    for (let i = 0; i < 10; i += 1) await limits.register.consume('ip');
    expect(await codeOf(limits.register.consume('ip'))).toBe('rate_limited');
  });
});
