import { DataTypes, type QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';

/**
 * Subscription imports. `imports` holds an uploaded file's parsed rows, the workflow's cursor and its report;
 * `import_keys` holds one content key per imported subscription, unique per user, so importing the same row
 * again is a duplicate. A key goes with its subscription (delete it and the row may be imported again).
 */
const tableOptions = { charset: 'utf8mb4', collate: 'utf8mb4_bin' };
const instant = (allowNull = true) => ({ type: DataTypes.DATE(3), allowNull });
const count = { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 };

export const up: MigrationFn<QueryInterface> = async ({ context: queryInterface }) => {
  // A file of IMPORT_MAX_BYTES does not fit MariaDB's TEXT (64 KiB); SQLite's TEXT has no such bound.
  const longText =
    queryInterface.sequelize.getDialect() === 'sqlite' ? DataTypes.TEXT : DataTypes.TEXT('long');
  await queryInterface.createTable(
    'imports',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
      user_id: {
        type: DataTypes.INTEGER,
        allowNull: false,
        references: { model: 'users', key: 'id' },
        onDelete: 'CASCADE',
      },
      /** subtracker-json | subtracker-csv | seed-json | wallos-json. */
      format: { type: DataTypes.STRING(32), allowNull: false },
      /** pending | running | completed | failed. */
      status: { type: DataTypes.STRING(16), allowNull: false },
      /** JSON array of the file's rows, mapped to the export's field names, with mapping errors. */
      rows: { type: longText, allowNull: false },
      total_rows: { type: DataTypes.INTEGER, allowNull: false },
      /** Rows before this index (0-based) are done and counted below. */
      next_row: count,
      created: count,
      duplicates: count,
      /** JSON array of { row, field, message }. */
      errors: { type: longText, allowNull: false },
      /** Why the workflow gave up (status failed). */
      failure: { type: DataTypes.STRING(1024), allowNull: true },
      workflow_id: { type: DataTypes.STRING(255), allowNull: true },
      created_at: instant(false),
      updated_at: instant(false),
      finished_at: instant(),
    },
    tableOptions,
  );
  await queryInterface.addIndex('imports', ['user_id'], { name: 'imports_user_id' });
  await queryInterface.createTable(
    'import_keys',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
      user_id: {
        type: DataTypes.INTEGER,
        allowNull: false,
        references: { model: 'users', key: 'id' },
        onDelete: 'CASCADE',
      },
      /** SHA-256 hex of the row's validated fields. */
      content_key: { type: DataTypes.CHAR(64), allowNull: false },
      subscription_id: {
        type: DataTypes.INTEGER,
        allowNull: false,
        references: { model: 'subscriptions', key: 'id' },
        onDelete: 'CASCADE',
      },
      /** The import that created it. */
      import_id: {
        type: DataTypes.INTEGER,
        allowNull: false,
        references: { model: 'imports', key: 'id' },
        onDelete: 'CASCADE',
      },
      /** The row of that import: a retried page counts it as created again, the same content on another row as a duplicate. */
      import_row: { type: DataTypes.INTEGER, allowNull: false },
      created_at: instant(false),
    },
    tableOptions,
  );
  await queryInterface.addIndex('import_keys', ['user_id', 'content_key'], {
    unique: true,
    name: 'import_keys_user_content',
  });
  await queryInterface.addIndex('import_keys', ['subscription_id'], { name: 'import_keys_subscription' });
  await queryInterface.addIndex('import_keys', ['import_id'], { name: 'import_keys_import' });
};

export const down: MigrationFn<QueryInterface> = async ({ context: queryInterface }) => {
  await queryInterface.dropTable('import_keys');
  await queryInterface.dropTable('imports');
};
