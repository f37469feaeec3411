import { DataTypes, type QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';

/**
 * One secret calendar-feed URL per user: only the SHA-256 of its token is kept. Rotating replaces the hash
 * (the old URL then answers 404); revoking deletes the row.
 */
const tableOptions = { charset: 'utf8mb4', collate: 'utf8mb4_bin' };

export const up: MigrationFn<QueryInterface> = async ({ context: queryInterface }) => {
  await queryInterface.createTable(
    'calendar_feeds',
    {
      user_id: {
        type: DataTypes.INTEGER,
        primaryKey: true,
        allowNull: false,
        references: { model: 'users', key: 'id' },
        onDelete: 'CASCADE',
      },
      token_hash: { type: DataTypes.CHAR(64), allowNull: false },
      created_at: { type: DataTypes.DATE(3), allowNull: false },
    },
    tableOptions,
  );
  await queryInterface.addIndex('calendar_feeds', ['token_hash'], {
    unique: true,
    name: 'calendar_feeds_token_hash',
  });
};

export const down: MigrationFn<QueryInterface> = async ({ context: queryInterface }) => {
  await queryInterface.dropTable('calendar_feeds');
};
