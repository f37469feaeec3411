import { DataTypes, type QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';

/**
 * Reminder bookkeeping. `reminders_changed_at` on subscriptions and users: when the dates or offsets
 * that decide reminders last changed; a reminder whose instant precedes it is never sent late. `reminder_starts`:
 * one row per reminder workflow started, so the hourly check lists a reminder once ("neither logged nor started").
 */
const tableOptions = { charset: 'utf8mb4', collate: 'utf8mb4_bin' };
const CHANGED_AT = 'reminders_changed_at';

export const up: MigrationFn<QueryInterface> = async ({ context: queryInterface }) => {
  for (const table of ['subscriptions', 'users']) {
    await queryInterface.addColumn(table, CHANGED_AT, { type: DataTypes.DATE(3), allowNull: true });
  }
  await queryInterface.createTable(
    'reminder_starts',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
      subscription_id: {
        type: DataTypes.INTEGER,
        allowNull: false,
        references: { model: 'subscriptions', key: 'id' },
        onDelete: 'CASCADE',
      },
      idempotency_key: { type: DataTypes.STRING(128), allowNull: false },
      /** Due date of the reminded payment: lookups skip payments already due. */
      due_date: { type: DataTypes.DATEONLY, allowNull: false },
      created_at: { type: DataTypes.DATE(3), allowNull: false },
    },
    tableOptions,
  );
  await queryInterface.addIndex('reminder_starts', ['idempotency_key'], {
    unique: true,
    name: 'reminder_starts_idempotency_key',
  });
  await queryInterface.addIndex('reminder_starts', ['subscription_id', 'due_date'], {
    name: 'reminder_starts_subscription_id_due_date',
  });
};

export const down: MigrationFn<QueryInterface> = async ({ context: queryInterface }) => {
  await queryInterface.dropTable('reminder_starts');
  for (const table of ['users', 'subscriptions']) {
    // SQLite drops a plain column in place (3.35+): no table rebuild, so no cascade into child rows.
    if (queryInterface.sequelize.getDialect() === 'sqlite') {
      await queryInterface.sequelize.query(`ALTER TABLE \`${table}\` DROP COLUMN \`${CHANGED_AT}\``);
    } else {
      await queryInterface.removeColumn(table, CHANGED_AT);
    }
  }
};
