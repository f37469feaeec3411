import type Redis from 'ioredis';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import { RateLimitedError, UnavailableError } from '../errors';

/** One named budget: `points` per `duration` seconds per key. */
export interface Limiter {
  /** Uses one point; throws RateLimitedError (with Retry-After) once the budget is spent. */
  consume(key: string): Promise<void>;
  /** Uses one point; false once the budget is spent (for limits that must stay silent). */
  tryConsume(key: string): Promise<boolean>;
  /** Gives one consumed point back (an attempt that turned out not to count). */
  reward(key: string): Promise<void>;
  reset(key: string): Promise<void>;
}

interface Budget {
  points: number;
  duration: number;
  /**
   * Strict budgets answer 503 when Redis is down (login must not become unlimited); others fall back to a
   * per-process memory limiter.
   */
  strict?: boolean;
}

/**
 * The budgets of docs/security.md ("Every rate limit"), mail-sending endpoints included. There is deliberately
 * no budget per account alone: any IP could spend it and lock the owner out (see the login budgets there).
 */
export const BUDGETS = {
  /** Failed logins per (IP, account) per 15 minutes; LOGIN_MAX_FAILURES_PER_ACCOUNT_IP. */
  loginPair: { points: 5, duration: 15 * 60, strict: true },
  /** Failed logins per IP across all accounts per 15 minutes; LOGIN_MAX_FAILURES_PER_IP. */
  loginIp: { points: 50, duration: 15 * 60, strict: true },
  /** Password changes tried per user per hour, right or wrong (each costs two argon2 runs); PASSWORD_CHANGE_MAX_PER_HOUR. */
  passwordChange: { points: 5, duration: 3600 },
  /** Registrations per IP per hour. */
  register: { points: 10, duration: 3600 },
  /** Verification emails sent again per user per hour. */
  verification: { points: 3, duration: 3600 },
  /** Password-reset requests per IP per hour (429). */
  forgotIp: { points: 20, duration: 3600 },
  /** Reset emails per address per hour (beyond it the request is silently not mailed). */
  forgotEmail: { points: 3, duration: 3600 },
  /** Test reminders per user per hour. */
  reminderSendTest: { points: 5, duration: 3600 },
  /** Test reports per user per hour (a budget of its own next to the test reminder's). */
  reportSendTest: { points: 5, duration: 3600 },
  /** Channel test messages per user per hour (all their channels together). */
  channelSendTest: { points: 10, duration: 3600 },
} satisfies Record<string, Budget>;

export type BudgetName = keyof typeof BUDGETS;
export type RateLimits = Record<BudgetName, Limiter>;
/** Configured replacements for some budgets' points and window. */
export type BudgetOverrides = Partial<Record<BudgetName, Pick<Budget, 'points' | 'duration'>>>;

function retryAfter(res: RateLimiterRes): number {
  return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
}

function wrap(limiter: RateLimiterAbstract): Limiter {
  /** A RateLimiterRes rejection is the limit; anything else is the store failing. */
  const run = async <T>(op: () => Promise<T>, onLimit: (res: RateLimiterRes) => T): Promise<T> => {
    try {
      return await op();
    } catch (err) {
      if (err instanceof RateLimiterRes) return onLimit(err);
      throw Object.assign(new UnavailableError('redis'), { cause: err });
    }
  };
  const limited = (res: RateLimiterRes): never => {
    throw new RateLimitedError(retryAfter(res));
  };
  return {
    consume: (key) => run(async () => void (await limiter.consume(key)), limited),
    tryConsume: (key) =>
      run(
        async () => (await limiter.consume(key), true),
        () => false,
      ),
    reward: (key) =>
      run(
        async () => void (await limiter.reward(key)),
        () => undefined,
      ),
    reset: (key) =>
      run(
        async () => void (await limiter.delete(key)),
        () => undefined,
      ),
  };
}

/**
 * The rate limits, in Redis when a client is given (shared by every API process), in memory otherwise.
 * `prefix` namespaces the keys (the deployment's id prefix), so parallel test apps never share budgets.
 */
export function createRateLimits(opts: {
  redis?: Redis;
  prefix?: string;
  budgets?: BudgetOverrides;
}): RateLimits {
  const build = (name: string, { points, duration, strict }: Budget): Limiter => {
    const keyPrefix = `${opts.prefix ?? ''}rl:${name}`;
    const memory = new RateLimiterMemory({ keyPrefix, points, duration });
    if (!opts.redis) return wrap(memory);
    const redis = new RateLimiterRedis({
      storeClient: opts.redis,
      keyPrefix,
      points,
      duration,
      rejectIfRedisNotReady: true,
      ...(strict ? {} : { insuranceLimiter: memory }),
    });
    return wrap(redis);
  };
  return Object.fromEntries(
    Object.entries(BUDGETS).map(([name, budget]) => [
      name,
      build(name, { ...budget, ...opts.budgets?.[name as BudgetName] }),
    ]),
  ) as RateLimits;
}
