import { DataTypes, type QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';

/**
 * users.data_version: a counter bumped in the same transaction as every write that changes what the user's
 * upcoming charges or monthly summary show. Readers key their caches and ETags by it.
 */
export const up: MigrationFn<QueryInterface> = async ({ context: queryInterface }) => {
  await queryInterface.addColumn('users', 'data_version', {
    type: DataTypes.INTEGER,
    allowNull: false,
    defaultValue: 0,
  });
};

export const down: MigrationFn<QueryInterface> = async ({ context: queryInterface }) => {
  // SQLite drops a plain column in place (3.35+): no table rebuild, so no cascade into child rows.
  if (queryInterface.sequelize.getDialect() === 'sqlite')
    await queryInterface.sequelize.query('ALTER TABLE `users` DROP COLUMN `data_version`');
  else await queryInterface.removeColumn('users', 'data_version');
};
