import { DataTypes, type QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';

/**
 * Notification channels beyond email. `channels`: a user's webhook / ntfy / Discord / Slack / Telegram target,
 * its public settings as JSON and its secrets (signing secret, tokens, token-bearing URLs) encrypted.
 * `channel_deliveries`: one row per (delivery key, channel), planned by the batch that claimed the key and
 * updated in place as its attempts go (pending -> sent | failed), so a delivery is logged once and its retry
 * state survives a worker's death.
 */
const tableOptions = { charset: 'utf8mb4', collate: 'utf8mb4_bin' };

export const up: MigrationFn<QueryInterface> = async ({ context: queryInterface }) => {
  await queryInterface.createTable(
    'channels',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      user_id: {
        type: DataTypes.INTEGER,
        allowNull: false,
        references: { model: 'users', key: 'id' },
        onDelete: 'CASCADE',
      },
      type: { type: DataTypes.STRING(16), allowNull: false },
      name: { type: DataTypes.STRING(80), allowNull: true },
      settings: { type: DataTypes.TEXT, allowNull: false },
      secrets: { type: DataTypes.TEXT, allowNull: false },
      events: { type: DataTypes.STRING(255), allowNull: false },
      enabled: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
      consecutive_failures: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      disabled_reason: { type: DataTypes.STRING(255), allowNull: true },
      created_at: { type: DataTypes.DATE(3), allowNull: false },
      updated_at: { type: DataTypes.DATE(3), allowNull: false },
    },
    tableOptions,
  );
  await queryInterface.addIndex('channels', ['user_id'], { name: 'channels_user' });
  await queryInterface.createTable(
    'channel_deliveries',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      channel_id: {
        type: DataTypes.INTEGER,
        allowNull: false,
        references: { model: 'channels', key: 'id' },
        onDelete: 'CASCADE',
      },
      user_id: {
        type: DataTypes.INTEGER,
        allowNull: false,
        references: { model: 'users', key: 'id' },
        onDelete: 'CASCADE',
      },
      delivery_key: { type: DataTypes.STRING(128), allowNull: false },
      event: { type: DataTypes.STRING(32), allowNull: false },
      message_id: { type: DataTypes.STRING(128), allowNull: false },
      payload: { type: DataTypes.TEXT, allowNull: false },
      status: { type: DataTypes.STRING(16), allowNull: false },
      attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      first_attempt_at: { type: DataTypes.DATE(3), allowNull: true },
      next_attempt_at: { type: DataTypes.DATE(3), allowNull: false },
      response_status: { type: DataTypes.INTEGER, allowNull: true },
      response_body: { type: DataTypes.TEXT, allowNull: true },
      error: { type: DataTypes.TEXT, allowNull: true },
      workflow_id: { type: DataTypes.STRING(255), allowNull: false },
      sent_at: { type: DataTypes.DATE(3), allowNull: true },
      created_at: { type: DataTypes.DATE(3), allowNull: false },
      updated_at: { type: DataTypes.DATE(3), allowNull: false },
    },
    tableOptions,
  );
  await queryInterface.addIndex('channel_deliveries', ['delivery_key', 'channel_id'], {
    name: 'channel_deliveries_key_channel',
    unique: true,
  });
  await queryInterface.addIndex('channel_deliveries', ['channel_id'], { name: 'channel_deliveries_channel' });
  await queryInterface.addIndex('channel_deliveries', ['user_id'], { name: 'channel_deliveries_user' });
};

export const down: MigrationFn<QueryInterface> = async ({ context: queryInterface }) => {
  await queryInterface.dropTable('channel_deliveries');
  await queryInterface.dropTable('channels');
};
