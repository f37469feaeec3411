import type { QueryInterface } from 'sequelize';
import type { RunnableMigration } from 'umzug';
import * as initialSchema from './20261127000000-initial-schema';
import * as subscriptionUrlLength from './20261127000100-subscription-url-length';
import * as reminderTracking from './20261127020000-reminder-tracking';
import * as reminderBatches from './20261203000000-reminder-batches';
import * as reportClaims from './20261204000000-report-claims';
import * as subscriptionsByOwner from './20261205000000-subscriptions-by-owner';
import * as notificationChannels from './20261218000000-notification-channels';
import * as apiTokens from './20261220000000-api-tokens';
import * as calendarFeeds from './20261220000100-calendar-feeds';
import * as userDataVersion from './20261226450000-user-data-version';
import * as subscriptionTrials from './20261230000000-subscription-trials';
import * as subscriptionTerms from './20261230000100-subscription-terms';
import * as exchangeRates from './20261231000000-exchange-rates';
import * as imports from './20261228000000-imports';

/** Every migration in order, imported explicitly so tsx, Jest and the compiled dist all find them. */
export const migrations: RunnableMigration<QueryInterface>[] = [
  { name: '20261127000000-initial-schema', up: initialSchema.up, down: initialSchema.down },
  {
    name: '20261127000100-subscription-url-length',
    up: subscriptionUrlLength.up,
    down: subscriptionUrlLength.down,
  },
  { name: '20261127020000-reminder-tracking', up: reminderTracking.up, down: reminderTracking.down },
  { name: '20261203000000-reminder-batches', up: reminderBatches.up, down: reminderBatches.down },
  { name: '20261204000000-report-claims', up: reportClaims.up, down: reportClaims.down },
  {
    name: '20261205000000-subscriptions-by-owner',
    up: subscriptionsByOwner.up,
    down: subscriptionsByOwner.down,
  },
  {
    name: '20261218000000-notification-channels',
    up: notificationChannels.up,
    down: notificationChannels.down,
  },
  { name: '20261220000000-api-tokens', up: apiTokens.up, down: apiTokens.down },
  { name: '20261220000100-calendar-feeds', up: calendarFeeds.up, down: calendarFeeds.down },
  { name: '20261226450000-user-data-version', up: userDataVersion.up, down: userDataVersion.down },
  { name: '20261228000000-imports', up: imports.up, down: imports.down },
  {
    name: '20261230000000-subscription-trials',
    up: subscriptionTrials.up,
    down: subscriptionTrials.down,
  },
  { name: '20261230000100-subscription-terms', up: subscriptionTerms.up, down: subscriptionTerms.down },
  { name: '20261231000000-exchange-rates', up: exchangeRates.up, down: exchangeRates.down },
];
