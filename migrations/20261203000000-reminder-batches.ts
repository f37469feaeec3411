import { DataTypes, type QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';

/**
 * Batch delivery of reminders. `reminder_starts.batch_id`: the batch workflow that holds a started reminder, so
 * a replan signals that batch. `reminder_claims`: the batch that may send a reminder; claimed once (unique key),
 * so an older batch or a re-listed reminder in another batch cannot send it too. `reminder_logs.workflow_id` and
 * `workflow_run_id`: the run that wrote the row, for a link to it in the Temporal Web UI.
 *
 * Upgrade: a reminder started before this migration is held by a per-reminder workflow that workers no longer
 * run (`reminderWorkflow`, retired when schedules are applied). Its started marker is removed unless the
 * reminder is logged, so the next check lists it into a batch and it is sent (late, flagged, if its instant
 * passed) rather than lost.
 */
const tableOptions = { charset: 'utf8mb4', collate: 'utf8mb4_bin' };
const WORKFLOW_ID = { type: DataTypes.STRING(255), allowNull: true };
const LOG_COLUMNS = ['workflow_id', 'workflow_run_id'] as const;

export const up: MigrationFn<QueryInterface> = async ({ context: queryInterface }) => {
  await queryInterface.addColumn('reminder_starts', 'batch_id', WORKFLOW_ID);
  for (const column of LOG_COLUMNS) await queryInterface.addColumn('reminder_logs', column, WORKFLOW_ID);
  await queryInterface.createTable(
    'reminder_claims',
    {
      idempotency_key: { type: DataTypes.STRING(128), primaryKey: true, allowNull: false },
      subscription_id: {
        type: DataTypes.INTEGER,
        allowNull: false,
        references: { model: 'subscriptions', key: 'id' },
        onDelete: 'CASCADE',
      },
      /** Due date of the reminded payment: pruned with the started markers. */
      due_date: { type: DataTypes.DATEONLY, allowNull: false },
      workflow_id: { type: DataTypes.STRING(255), allowNull: false },
      created_at: { type: DataTypes.DATE(3), allowNull: false },
    },
    tableOptions,
  );
  await queryInterface.addIndex('reminder_claims', ['due_date'], { name: 'reminder_claims_due_date' });
  await queryInterface.sequelize.query(
    `DELETE FROM reminder_starts WHERE NOT EXISTS
       (SELECT 1 FROM reminder_logs l WHERE l.idempotency_key = reminder_starts.idempotency_key)`,
  );
};

export const down: MigrationFn<QueryInterface> = async ({ context: queryInterface }) => {
  await queryInterface.dropTable('reminder_claims');
  const sqlite = queryInterface.sequelize.getDialect() === 'sqlite';
  const drop = async (table: string, column: string) => {
    // SQLite drops a plain column in place (3.35+): no table rebuild, so no cascade into child rows.
    if (sqlite) await queryInterface.sequelize.query(`ALTER TABLE \`${table}\` DROP COLUMN \`${column}\``);
    else await queryInterface.removeColumn(table, column);
  };
  for (const column of LOG_COLUMNS) await drop('reminder_logs', column);
  await drop('reminder_starts', 'batch_id');
};
