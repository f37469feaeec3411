import type { Config } from './config';
import { createSessionStore } from './auth/db-session-store';
import { createTokenService } from './auth/tokens';
import { createProcessRevocationCache } from './cache/process-revocation-cache';
import { createRedis, waitForRedis } from './cache/redis';
import {
  createMemoryRevocationCache,
  createRedisRevocationCache,
  type RevocationCache,
} from './cache/revocation-cache';
import { createDatabase, type Database } from './db/database';
import { createApp } from './http/app';
import { createAuthMiddleware } from './http/middleware/auth';
import type { HealthCheck } from './http/routes/health';
import type { Logger } from './logger';
import { createMailer } from './mail/create-mailer';
import type { Mailer } from './mail/mailer';
import { createServices, type Services } from './services';
import { createTemporal, type TemporalHandle } from './temporal/client';
import { createIds } from './temporal/contract';
import { createPayloadCodec } from './temporal/payload-codec';

/** Everything the API and the worker share, wired from real clients. The entry points own its lifetime. */
export interface Runtime {
  config: Readonly<Config>;
  logger: Logger;
  db: Database;
  cache: RevocationCache;
  mailer: Mailer;
  temporal: TemporalHandle;
  services: Services;
  healthChecks: HealthCheck[];
  createApp(): ReturnType<typeof createApp>;
  /**
   * Waits (bounded) for the connections a first request needs, so a process that has just started does not
   * answer 503 while Redis is still connecting. Never rejects: a dependency that is down stays a 503.
   */
  ready(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** Composition root: one place builds every client; nothing else constructs them. */
export function createRuntime(
  config: Readonly<Config>,
  logger: Logger,
  overrides: {
    temporalAddress?: string;
    mailer?: Mailer;
    db?: Database;
    /** The services' clock (epoch ms), for tests that move time. */
    now?: () => number;
  } = {},
): Runtime {
  const db = overrides.db ?? createDatabase(config.database, logger);
  const redis = config.redisUrl ? createRedis(config.redisUrl) : undefined;
  redis?.on('error', (err) => logger.warn({ err: err.message }, 'redis error'));
  // Several processes share Redis: each keeps live sessions in memory, dropped on the revocation channel.
  const cache = redis
    ? createProcessRevocationCache(
        createRedisRevocationCache(redis),
        { publisher: redis, subscriber: createRedis(config.redisUrl!, { subscriber: true }) },
        (err) => logger.warn({ err: err.message }, 'session revocation channel'),
      )
    : createMemoryRevocationCache();
  const mailer = overrides.mailer ?? createMailer(config.mail, logger);
  const address =
    overrides.temporalAddress ?? config.temporal.address ?? `127.0.0.1:${config.temporal.devPort}`;
  const temporal = createTemporal({
    address,
    namespace: config.temporal.namespace,
    payloadCodec: createPayloadCodec(config.temporal.payloadKeys),
  });
  const tokens = createTokenService(config.jwt);
  const sessions = createSessionStore(db, cache);
  const services = createServices({
    config,
    db,
    tokens,
    sessions,
    mailer,
    logger,
    redis,
    now: overrides.now,
    temporal: {
      client: temporal.client,
      ids: createIds(config.temporal.idPrefix),
      taskQueue: config.temporal.taskQueue,
    },
  });
  const auth = createAuthMiddleware({
    tokens,
    sessions,
    apiTokens: services.apiTokens,
    roleOf: services.users.roleOf,
  });
  const healthChecks: HealthCheck[] = [
    { name: 'database', check: () => db.sequelize.authenticate() },
    { name: 'redis', check: () => cache.ping() },
    { name: 'temporal', check: () => temporal.ping(900) },
  ];

  return {
    config,
    logger,
    db,
    cache,
    mailer,
    temporal,
    services,
    healthChecks,
    createApp: () =>
      createApp({ config, logger, services, auth, healthChecks, payloadCodec: temporal.payloadCodec }),
    async ready(timeoutMs = 3000) {
      if (redis && !(await waitForRedis(redis, timeoutMs))) {
        logger.warn({ timeoutMs }, 'redis not connected yet; requests that need it answer 503 until it is');
      }
    },
    async close() {
      // Trailing replans still waiting for their window run now, while their clients are open.
      await services.reminderReplan.close();
      // A database handed in by the caller stays open: its owner closes it.
      await Promise.allSettled([temporal.close(), cache.close(), overrides.db ? undefined : db.close()]);
    },
  };
}
