import type { CreationOptional, InferAttributes, InferCreationAttributes } from 'sequelize';
import { BeforeUpdate, Column, DataType, Model, Table } from 'sequelize-typescript';
import { normaliseKey } from '../normalise-key';
import { jsonTextColumn } from './columns';

export type UserRole = 'user' | 'admin';

@Table({ tableName: 'users', underscored: true })
export class User extends Model<InferAttributes<User>, InferCreationAttributes<User>> {
  @Column({ type: DataType.INTEGER, primaryKey: true, autoIncrement: true })
  declare id: CreationOptional<number>;

  @Column({ type: DataType.STRING(80), allowNull: false })
  declare username: string;

  /** As typed by the user; setting it also sets emailKey. */
  @Column({
    type: DataType.STRING(254),
    allowNull: false,
    set(this: User, value: string) {
      this.setDataValue('email', value);
      this.setDataValue('emailKey', normaliseKey(value));
    },
  })
  declare email: string;

  /** normaliseKey(email): the unique, case-insensitive login identity. Derived: writing it re-derives it. */
  @Column({
    type: DataType.STRING(254),
    allowNull: false,
    unique: true,
    set(this: User) {
      this.setDataValue('emailKey', normaliseKey(this.getDataValue('email') ?? ''));
    },
  })
  declare emailKey: CreationOptional<string>;

  /** argon2id (or the seed's bcrypt) hash. */
  @Column({ type: DataType.STRING(255), allowNull: false })
  declare passwordHash: string;

  @Column({ type: DataType.STRING(16), allowNull: false, defaultValue: 'user' })
  declare role: CreationOptional<UserRole>;

  @Column(DataType.DATE(3))
  declare emailVerifiedAt: CreationOptional<Date | null>;

  /** IANA zone in which due dates and reminder hours are read. */
  @Column({ type: DataType.STRING(64), allowNull: false, defaultValue: 'UTC' })
  declare timezone: CreationOptional<string>;

  /** Local hour (0-23) at which reminders go out. */
  @Column({ type: DataType.INTEGER, allowNull: false, defaultValue: 9 })
  declare reminderHour: CreationOptional<number>;

  /** Days before a due date to remind (distinct, 0-90, at most 5). */
  @Column(
    jsonTextColumn('reminderOffsets', { type: DataType.STRING(64), allowNull: false, defaultValue: '[7,1]' }),
  )
  declare reminderOffsets: CreationOptional<number[]>;

  /** ISO 4217 code used for totals. */
  @Column({ type: DataType.CHAR(3), allowNull: false, defaultValue: 'USD' })
  declare currency: CreationOptional<string>;

  /** Wants the monthly spending report. */
  @Column({ type: DataType.BOOLEAN, allowNull: false, defaultValue: true })
  declare monthlyReport: CreationOptional<boolean>;

  @Column({ type: DataType.BOOLEAN, allowNull: false, defaultValue: true })
  declare remindersEnabled: CreationOptional<boolean>;

  /** When the welcome workflow was started; null means the reminder check still has to start it. */
  @Column(DataType.DATE(3))
  declare welcomeStartedAt: CreationOptional<Date | null>;

  /** When offsets, zone or reminders_enabled last changed: no reminder before it is sent late. */
  @Column(DataType.DATE(3))
  declare remindersChangedAt: CreationOptional<Date | null>;

  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  @BeforeUpdate
  static stampReminderChange(user: User): void {
    const fields = ['reminderOffsets', 'timezone', 'remindersEnabled'] as const;
    if (fields.some((field) => user.changed(field))) user.remindersChangedAt = new Date();
  }
}
