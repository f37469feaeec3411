import { DataTypes, type QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';
import { changeColumnSafely } from '../src/db/sqlite-safe-migration';

/**
 * Subscription URLs grow past 255 characters once they carry query strings (account pages, tracking links):
 * widen to 2048. On SQLite this rebuilds `subscriptions`, the parent of payments and reminder_logs.
 * `down` fails on MariaDB (strict mode) while a longer URL exists, rather than truncating it.
 */
export const up: MigrationFn<QueryInterface> = async ({ context: queryInterface }) => {
  await changeColumnSafely(queryInterface, 'subscriptions', 'url', {
    type: DataTypes.STRING(2048),
    allowNull: true,
  });
};

export const down: MigrationFn<QueryInterface> = async ({ context: queryInterface }) => {
  await changeColumnSafely(queryInterface, 'subscriptions', 'url', {
    type: DataTypes.STRING(255),
    allowNull: true,
  });
};
