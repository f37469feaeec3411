import type Redis from 'ioredis';
import { createPasswordHasher } from '../auth/passwords';
import { createRateLimits } from '../auth/rate-limits';
import type { SessionStore } from '../auth/session-store';
import type { TokenService } from '../auth/tokens';
import type { Config } from '../config';
import type { Database } from '../db/database';
import type { Client } from '@temporalio/client';
import type { WorkflowIds } from '../temporal/contract';
import { createSubscriptionServices } from './subscription-services';
import { createUserService } from './user-service';
import { createReminderTestService } from './reminder-test-service';
import { createReportTestService } from './report-test-service';
import type { Logger } from '../logger';
import type { Mailer } from '../mail/mailer';
import { createAccountService } from './account-service';
import { createApiTokenService } from './api-token-service';
import { createLinks } from './links';
import { createPasswordService } from './password-service';
import { createReminderReplanService, type ReplanScope } from './reminder-replan-service';
import { createSessionService } from './session-service';
import { createSubscriptionExport } from './subscription-export';
import { createCalendarFeedService } from './calendar-feed-service';
import { createReminderWaker } from '../temporal/reminder-waker';
import { createSecretBox } from '../channels/secret-box';
import { createChannelService } from './channel-service';
import { createChannelTestService } from './channel-test-service';
import { createImportService } from './import-service';

export interface ServiceDeps {
  config: Readonly<Config>;
  db: Database;
  tokens: TokenService;
  sessions: SessionStore;
  temporal: { client: Client; ids: WorkflowIds; taskQueue: string };
  /** The clock of the date-dependent services (epoch ms); Date.now unless a test moves time. */
  now?: () => number;
  mailer: Mailer;
  logger: Logger;
  /** Rate limits live in Redis when given, in memory otherwise. */
  redis?: Redis;
}

/** Builds the domain services; routes receive them and never touch models directly. */
export function createServices(deps: ServiceDeps) {
  const now = deps.now ?? Date.now;
  const { client } = deps.temporal;
  const reminderReplan = createReminderReplanService({
    db: deps.db,
    now,
    wake: createReminderWaker(client),
    logger: deps.logger,
  });
  const accounts = createAccountServices(deps, reminderReplan.replan);
  return {
    ...accounts,
    reminderReplan,
    ...createSubscriptionServices({
      db: deps.db,
      now,
      onReminderChange: reminderReplan.replan,
      maxPerUser: deps.config.maxSubscriptionsPerUser,
    }),
    subscriptionExport: createSubscriptionExport({ db: deps.db }),
    imports: createImportService({ ...deps, maxRows: deps.config.imports.maxRows }),
    calendarFeeds: createCalendarFeedService({ db: deps.db, now, months: deps.config.calendarFeedMonths }),
    reminderTests: createReminderTestService({ ...deps, limit: accounts.limits.reminderSendTest }),
    reportTests: createReportTestService({ ...deps, limit: accounts.limits.reportSendTest }),
    channelTests: createChannelTestService({ ...deps, limit: accounts.limits.channelSendTest }),
    channels: createChannelService({
      db: deps.db,
      box: createSecretBox(deps.config.temporal.payloadKeys),
      endpoints: deps.config.channels,
      secretOverlapMs: deps.config.channels.secretOverlapMs,
      now,
    }),
  };
}

/** Users, sessions, registration and passwords, sharing one set of rate limits. */
function createAccountServices(
  deps: ServiceDeps,
  onReminderChange: (scope: ReplanScope) => Promise<unknown>,
) {
  const { config, db, tokens, mailer, logger } = deps;
  const now = deps.now ?? Date.now;
  const { maxFailuresPerAccountIp, maxFailuresPerIp, windowSeconds } = config.login;
  const limits = createRateLimits({
    redis: deps.redis,
    prefix: config.temporal.idPrefix,
    budgets: {
      loginPair: { points: maxFailuresPerAccountIp, duration: windowSeconds },
      loginIp: { points: maxFailuresPerIp, duration: windowSeconds },
      passwordChange: { points: config.passwordChangesPerHour, duration: 3600 },
    },
  });
  // One per process (the runtime builds the services once): the cap holds across every caller.
  const hasher = createPasswordHasher(config.passwordHashConcurrency);
  const users = createUserService({
    db,
    adminEmails: config.adminEmails,
    sessions: deps.sessions,
    onReminderChange,
  });
  const links = createLinks(config.appBaseUrl, tokens);
  const apiTokens = createApiTokenService({ now });
  const sessions = createSessionService({
    db,
    tokens,
    sessions: deps.sessions,
    limits,
    hasher,
    rotation: config.jwt.refreshRotation,
    maxAgeSeconds: config.sessionMaxAgeSeconds,
    now,
  });
  const accounts = createAccountService({
    ...{ db, tokens, links, users, limits, hasher, mailer, logger, now },
    temporal: deps.temporal,
  });
  const passwords = createPasswordService({
    ...{ db, tokens, sessions, apiTokens, limits, hasher, mailer, logger, now },
    jwtSecret: config.jwt.secret,
    appBaseUrl: config.appBaseUrl,
  });
  return { users, sessions, accounts, passwords, limits, apiTokens };
}

export type Services = ReturnType<typeof createServices>;
