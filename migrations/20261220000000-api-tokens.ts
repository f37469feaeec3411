import { DataTypes, type QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';

/**
 * Personal API tokens: long-lived credentials for scripts and dashboards. Only the SHA-256 of the secret is
 * stored (the secret is 256 random bits, so a fast hash is enough); `prefix` lets the owner recognise it.
 */
const tableOptions = { charset: 'utf8mb4', collate: 'utf8mb4_bin' };
const instant = (allowNull = true) => ({ type: DataTypes.DATE(3), allowNull });

export const up: MigrationFn<QueryInterface> = async ({ context: queryInterface }) => {
  await queryInterface.createTable(
    'api_tokens',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
      user_id: {
        type: DataTypes.INTEGER,
        allowNull: false,
        references: { model: 'users', key: 'id' },
        onDelete: 'CASCADE',
      },
      name: { type: DataTypes.STRING(80), allowNull: false },
      token_hash: { type: DataTypes.CHAR(64), allowNull: false },
      prefix: { type: DataTypes.STRING(16), allowNull: false },
      /** Comma-separated: 'read' or 'read,write'. */
      scopes: { type: DataTypes.STRING(32), allowNull: false },
      expires_at: instant(),
      last_used_at: instant(),
      created_at: instant(false),
    },
    tableOptions,
  );
  await queryInterface.addIndex('api_tokens', ['token_hash'], {
    unique: true,
    name: 'api_tokens_token_hash',
  });
  await queryInterface.addIndex('api_tokens', ['user_id'], { name: 'api_tokens_user_id' });
};

export const down: MigrationFn<QueryInterface> = async ({ context: queryInterface }) => {
  await queryInterface.dropTable('api_tokens');
};
