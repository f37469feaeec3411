import { DataTypes, type ModelAttributes, type QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';

/** docs/data-model.md. MariaDB tables use a binary collation so keys compare exactly as on SQLite. */
const tableOptions = { charset: 'utf8mb4', collate: 'utf8mb4_bin' };

const id = { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false };
const instant = (allowNull = true) => ({ type: DataTypes.DATE(3), allowNull });
const timestamps = { created_at: instant(false), updated_at: instant(false) };
const owner = (table: string, onDelete: 'CASCADE' | 'SET NULL', allowNull = false) => ({
  type: DataTypes.INTEGER,
  allowNull,
  references: { model: table, key: 'id' },
  onDelete,
});

const tables: Record<string, ModelAttributes> = {
  users: {
    id,
    username: { type: DataTypes.STRING(80), allowNull: false },
    email: { type: DataTypes.STRING(254), allowNull: false },
    email_key: { type: DataTypes.STRING(254), allowNull: false },
    password_hash: { type: DataTypes.STRING(255), allowNull: false },
    role: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'user' },
    email_verified_at: instant(),
    timezone: { type: DataTypes.STRING(64), allowNull: false, defaultValue: 'UTC' },
    reminder_hour: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 9 },
    reminder_offsets: { type: DataTypes.STRING(64), allowNull: false, defaultValue: '[7,1]' },
    currency: { type: DataTypes.CHAR(3), allowNull: false, defaultValue: 'USD' },
    monthly_report: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
    reminders_enabled: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
    welcome_started_at: instant(),
    ...timestamps,
  },
  sessions: {
    sid: { type: DataTypes.STRING(36), primaryKey: true, allowNull: false },
    user_id: owner('users', 'CASCADE'),
    refresh_jti: { type: DataTypes.STRING(36), allowNull: false },
    previous_jti: { type: DataTypes.STRING(36), allowNull: true },
    rotated_at: instant(),
    created_at: instant(false),
    last_used_at: instant(false),
    expires_at: instant(false),
    revoked_at: instant(),
    user_agent: { type: DataTypes.STRING(512), allowNull: true },
    ip: { type: DataTypes.STRING(64), allowNull: true },
  },
  subscriptions: {
    id,
    user_id: owner('users', 'CASCADE'),
    name: { type: DataTypes.STRING(120), allowNull: false },
    name_key: { type: DataTypes.STRING(120), allowNull: false },
    price_minor: { type: DataTypes.BIGINT, allowNull: false },
    currency: { type: DataTypes.CHAR(3), allowNull: false },
    billing_cycle: { type: DataTypes.STRING(16), allowNull: false },
    billing_interval: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 1 },
    anchor_date: { type: DataTypes.DATEONLY, allowNull: false },
    next_payment_date: { type: DataTypes.DATEONLY, allowNull: false },
    category: { type: DataTypes.STRING(80), allowNull: true },
    status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'active' },
    reminder_offsets: { type: DataTypes.STRING(64), allowNull: true },
    notes: { type: DataTypes.TEXT, allowNull: true },
    // Widened to 2048 by 20261127000100-subscription-url-length.
    url: { type: DataTypes.STRING(255), allowNull: true },
    ...timestamps,
  },
  payments: {
    id,
    subscription_id: owner('subscriptions', 'SET NULL', true),
    user_id: owner('users', 'CASCADE'),
    name: { type: DataTypes.STRING(120), allowNull: false },
    category: { type: DataTypes.STRING(80), allowNull: true },
    due_date: { type: DataTypes.DATEONLY, allowNull: false },
    amount_minor: { type: DataTypes.BIGINT, allowNull: false },
    currency: { type: DataTypes.CHAR(3), allowNull: false },
    ...timestamps,
  },
  reminder_logs: {
    id,
    subscription_id: owner('subscriptions', 'CASCADE'),
    user_id: owner('users', 'CASCADE'),
    due_date: { type: DataTypes.DATEONLY, allowNull: false },
    offset_days: { type: DataTypes.INTEGER, allowNull: false },
    idempotency_key: { type: DataTypes.STRING(128), allowNull: false },
    status: { type: DataTypes.STRING(16), allowNull: false },
    reason: { type: DataTypes.STRING(32), allowNull: true },
    success: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
    message: { type: DataTypes.TEXT, allowNull: true },
    error: { type: DataTypes.TEXT, allowNull: true },
    attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    provider_message_id: { type: DataTypes.STRING(255), allowNull: true },
    late: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
    sent_at: instant(),
    ...timestamps,
  },
  monthly_reports: {
    id,
    user_id: owner('users', 'CASCADE'),
    month: { type: DataTypes.CHAR(7), allowNull: false },
    totals: { type: DataTypes.TEXT, allowNull: true },
    status: { type: DataTypes.STRING(16), allowNull: false },
    provider_message_id: { type: DataTypes.STRING(255), allowNull: true },
    sent_at: instant(),
    ...timestamps,
  },
};

/** Every foreign key column leads an index: SQLite would scan the child table on each parent delete. */
const indexes: { table: string; fields: string[]; unique?: boolean }[] = [
  { table: 'users', fields: ['email_key'], unique: true },
  { table: 'sessions', fields: ['user_id'] },
  { table: 'subscriptions', fields: ['user_id', 'name_key'], unique: true },
  { table: 'subscriptions', fields: ['status', 'next_payment_date'] },
  { table: 'payments', fields: ['subscription_id', 'due_date'], unique: true },
  { table: 'payments', fields: ['user_id', 'due_date'] },
  { table: 'reminder_logs', fields: ['idempotency_key'], unique: true },
  { table: 'reminder_logs', fields: ['subscription_id', 'due_date'] },
  { table: 'reminder_logs', fields: ['user_id'] },
  { table: 'monthly_reports', fields: ['user_id', 'month'], unique: true },
];

export const up: MigrationFn<QueryInterface> = async ({ context: queryInterface }) => {
  for (const [table, attributes] of Object.entries(tables)) {
    await queryInterface.createTable(table, attributes, tableOptions);
  }
  for (const { table, fields, unique = false } of indexes) {
    await queryInterface.addIndex(table, fields, { unique, name: `${table}_${fields.join('_')}` });
  }
};

export const down: MigrationFn<QueryInterface> = async ({ context: queryInterface }) => {
  for (const table of Object.keys(tables).reverse()) await queryInterface.dropTable(table);
};
