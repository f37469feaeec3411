import { DataTypes, type QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';

/**
 * Batch delivery of monthly reports. `report_claims`: the batch that may send a user's report of a month;
 * claimed once (primary key), so a second fan-out's batch listing the same user cannot send it too. Pruned by
 * the reminder check's housekeeping step once the month's sends are long over.
 */
const tableOptions = { charset: 'utf8mb4', collate: 'utf8mb4_bin' };

export const up: MigrationFn<QueryInterface> = async ({ context: queryInterface }) => {
  await queryInterface.createTable(
    'report_claims',
    {
      user_id: {
        type: DataTypes.INTEGER,
        primaryKey: true,
        allowNull: false,
        references: { model: 'users', key: 'id' },
        onDelete: 'CASCADE',
      },
      /** 'YYYY-MM' reported. */
      month: { type: DataTypes.CHAR(7), primaryKey: true, allowNull: false },
      workflow_id: { type: DataTypes.STRING(255), allowNull: false },
      created_at: { type: DataTypes.DATE(3), allowNull: false },
    },
    tableOptions,
  );
  await queryInterface.addIndex('report_claims', ['month'], { name: 'report_claims_month' });
};

export const down: MigrationFn<QueryInterface> = async ({ context: queryInterface }) => {
  await queryInterface.dropTable('report_claims');
};
