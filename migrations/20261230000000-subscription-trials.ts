import { DataTypes, type QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';

/**
 * Free trials: `subscriptions.trial_ends_on` (the first charge falls on it), and `reminder_logs.kind`, so a
 * trial-end reminder is told apart from a payment reminder (its key starts `trial:`).
 */
const COLUMNS = [
  ['subscriptions', 'trial_ends_on', { type: DataTypes.DATEONLY, allowNull: true }],
  ['reminder_logs', 'kind', { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'charge' }],
] as const;

export const up: MigrationFn<QueryInterface> = async ({ context: queryInterface }) => {
  for (const [table, column, spec] of COLUMNS) await queryInterface.addColumn(table, column, spec);
};

export const down: MigrationFn<QueryInterface> = async ({ context: queryInterface }) => {
  for (const [table, column] of [...COLUMNS].reverse()) {
    // SQLite drops a plain column in place (3.35+): no table rebuild, so no cascade into child rows.
    if (queryInterface.sequelize.getDialect() === 'sqlite') {
      await queryInterface.sequelize.query(`ALTER TABLE \`${table}\` DROP COLUMN \`${column}\``);
    } else {
      await queryInterface.removeColumn(table, column);
    }
  }
};
