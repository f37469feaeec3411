import type { QueryInterface, Sequelize } from 'sequelize';
import { SequelizeStorage, Umzug, type UmzugOptions } from 'umzug';
import { migrations } from '../../migrations';

export type Migrator = Umzug<QueryInterface>;

/** Applied migration names are kept in `schema_migrations`. Silent unless a logger is given. */
export function createMigrator(sequelize: Sequelize, logger?: UmzugOptions['logger']): Migrator {
  return new Umzug({
    migrations,
    context: sequelize.getQueryInterface(),
    storage: new SequelizeStorage({ sequelize, tableName: 'schema_migrations' }),
    logger,
  });
}

/** Applies every pending migration; returns the names applied. */
export async function migrateUp(sequelize: Sequelize): Promise<string[]> {
  const applied = await createMigrator(sequelize).up();
  return applied.map((m) => m.name);
}

/** Reverts the last migration, the last `step` ones, or down to (and including) `to`; `to: 0` reverts all. */
export async function migrateDown(
  sequelize: Sequelize,
  options: { to?: string | 0; step?: number } = {},
): Promise<string[]> {
  if (options.to !== undefined && options.step !== undefined)
    throw new Error('Give either `to` or `step`, not both');
  const migrator = createMigrator(sequelize);
  const reverted = await (options.to !== undefined
    ? migrator.down({ to: options.to })
    : migrator.down({ step: options.step ?? 1 }));
  return reverted.map((m) => m.name);
}
