import type { Sequelize } from 'sequelize-typescript';
import {
  ApiToken,
  CalendarFeed,
  Channel,
  ChannelDelivery,
  ExchangeRate,
  ImportKey,
  MonthlyReport,
  Payment,
  ReminderLog,
  Session,
  Subscription,
  SubscriptionImport,
  User,
} from './models';
import { registerDataVersionHooks } from './data-version-hooks';
import { createSequelize, type DatabaseConfig, type SqlLogger } from './sequelize';

const models = {
  User,
  Session,
  Subscription,
  Payment,
  ReminderLog,
  MonthlyReport,
  ApiToken,
  CalendarFeed,
  Channel,
  ChannelDelivery,
  ExchangeRate,
  SubscriptionImport,
  ImportKey,
};

export interface Database {
  sequelize: Sequelize;
  models: typeof models;
  close(): Promise<void>;
}

/**
 * Connects (lazily) and registers the models. The schema comes from the migrations, never from `sync()`.
 * Model classes are module-level, so a process works with one Database at a time: a second call rebinds them.
 */
export function createDatabase(config: DatabaseConfig, logger?: SqlLogger): Database {
  const sequelize = createSequelize(config, logger);
  sequelize.addModels(Object.values(models));
  registerDataVersionHooks(sequelize);
  return { sequelize, models, close: () => sequelize.close() };
}
