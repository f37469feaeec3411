import { DataTypes, type QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';

/**
 * Fixed terms and deadlines: `ends_on` (no charge after it; the advance step then cancels the plan) and
 * `cancel_by` (the last day to cancel before the next term, reminded).
 */
const COLUMNS = ['ends_on', 'cancel_by'] as const;

export const up: MigrationFn<QueryInterface> = async ({ context: queryInterface }) => {
  for (const column of COLUMNS) {
    await queryInterface.addColumn('subscriptions', column, { type: DataTypes.DATEONLY, allowNull: true });
  }
};

export const down: MigrationFn<QueryInterface> = async ({ context: queryInterface }) => {
  for (const column of [...COLUMNS].reverse()) {
    // SQLite drops a plain column in place (3.35+): no table rebuild, so no cascade into child rows.
    if (queryInterface.sequelize.getDialect() === 'sqlite') {
      await queryInterface.sequelize.query(`ALTER TABLE \`subscriptions\` DROP COLUMN \`${column}\``);
    } else {
      await queryInterface.removeColumn('subscriptions', column);
    }
  }
};
