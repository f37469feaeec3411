/**
 * Model hooks that bump the owner's data version (./data-version.ts) on every instance write of the tables
 * upcoming and stats read: subscriptions, payments (the ledger), reminder_logs and the user's own settings.
 * Bulk updates and raw inserts do not run these hooks: their callers bump explicitly.
 */
import type { Model, ModelStatic, Sequelize, Transaction } from 'sequelize';
import { bumpDataVersion } from './data-version';
import { Payment, ReminderLog, Subscription, User } from './models';

type WithTransaction = { transaction?: Transaction | null } | undefined;
type Hooked = ModelStatic<Model> & {
  addHook(name: string, key: string, fn: (...args: unknown[]) => unknown): void;
  removeHook(name: string, key: string): void;
};

const KEY = 'dataVersion';

/** Before the write inside a transaction (users row locked first), after it otherwise. */
function hookPair(
  sequelize: () => Sequelize,
  model: Hooked,
  event: 'Save' | 'Update' | 'Destroy' | 'BulkCreate',
  owners: (target: unknown) => number[],
): void {
  const run = (inTransaction: boolean) => async (target: unknown, options: WithTransaction) => {
    if (!!options?.transaction !== inTransaction) return;
    await bumpDataVersion(sequelize(), owners(target), options?.transaction);
  };
  model.removeHook(`before${event}`, KEY);
  model.removeHook(`after${event}`, KEY);
  model.addHook(`before${event}`, KEY, run(true) as (...args: unknown[]) => unknown);
  model.addHook(`after${event}`, KEY, run(false) as (...args: unknown[]) => unknown);
}

const ownerOf = (target: unknown) => [(target as { userId: number }).userId];
const ownersOf = (target: unknown) => (target as { userId: number }[]).map((row) => row.userId);

/** Registers the hooks (once per model class; a second database rebinds them to itself). */
export function registerDataVersionHooks(sequelize: Sequelize): void {
  const current = () => sequelize;
  for (const model of [Subscription, Payment, ReminderLog] as unknown as Hooked[]) {
    hookPair(current, model, 'Save', ownerOf);
    hookPair(current, model, 'Destroy', ownerOf);
    hookPair(current, model, 'BulkCreate', ownersOf);
  }
  hookPair(current, User as unknown as Hooked, 'Update', (user) => [(user as User).id]);
}
