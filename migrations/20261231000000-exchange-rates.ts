import { DataTypes, type QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';

/**
 * Euro foreign exchange reference rates as the European Central Bank publishes them: units of `currency` per
 * euro on `rate_date` (a TARGET business day). The rate is kept as the published decimal text, so SQLite's
 * floating-point REAL never rounds it; `updated_at` moves whenever a fetch rewrites a row.
 */
const tableOptions = { charset: 'utf8mb4', collate: 'utf8mb4_bin' };

export const up: MigrationFn<QueryInterface> = async ({ context: queryInterface }) => {
  await queryInterface.createTable(
    'exchange_rates',
    {
      rate_date: { type: DataTypes.DATEONLY, primaryKey: true, allowNull: false },
      currency: { type: DataTypes.CHAR(3), primaryKey: true, allowNull: false },
      rate: { type: DataTypes.STRING(24), allowNull: false },
      created_at: { type: DataTypes.DATE(3), allowNull: false },
      updated_at: { type: DataTypes.DATE(3), allowNull: false },
    },
    tableOptions,
  );
  // Lookups are "the latest rate of these currencies on or before a date".
  await queryInterface.addIndex('exchange_rates', ['currency', 'rate_date'], {
    name: 'exchange_rates_currency_date',
  });
};

export const down: MigrationFn<QueryInterface> = async ({ context: queryInterface }) => {
  await queryInterface.dropTable('exchange_rates');
};
