import type { CreationOptional, InferAttributes, InferCreationAttributes, NonAttribute } from 'sequelize';
import { BeforeUpdate, BelongsTo, Column, DataType, ForeignKey, Model, Table } from 'sequelize-typescript';
import { normaliseKey } from '../normalise-key';
import { jsonTextColumn, moneyColumn } from './columns';
import { User } from './user.model';

export type BillingCycle = 'daily' | 'weekly' | 'monthly' | 'yearly';
export type SubscriptionStatus = 'active' | 'paused' | 'cancelled';

@Table({ tableName: 'subscriptions', underscored: true })
export class Subscription extends Model<
  InferAttributes<Subscription>,
  InferCreationAttributes<Subscription>
> {
  @Column({ type: DataType.INTEGER, primaryKey: true, autoIncrement: true })
  declare id: CreationOptional<number>;

  @ForeignKey(() => User)
  @Column({ type: DataType.INTEGER, allowNull: false })
  declare userId: number;

  /** As typed by the user; setting it also sets nameKey. */
  @Column({
    type: DataType.STRING(120),
    allowNull: false,
    set(this: Subscription, value: string) {
      this.setDataValue('name', value);
      this.setDataValue('nameKey', normaliseKey(value));
    },
  })
  declare name: string;

  /** normaliseKey(name), unique per user. Derived: writing it re-derives it. */
  @Column({
    type: DataType.STRING(120),
    allowNull: false,
    set(this: Subscription) {
      this.setDataValue('nameKey', normaliseKey(this.getDataValue('name') ?? ''));
    },
  })
  declare nameKey: CreationOptional<string>;

  /** Price per charge in minor units (1 to 9,999,999,999). */
  @Column(moneyColumn('priceMinor'))
  declare priceMinor: number;

  /** ISO 4217 code. */
  @Column({ type: DataType.CHAR(3), allowNull: false })
  declare currency: string;

  @Column({ type: DataType.STRING(16), allowNull: false })
  declare billingCycle: BillingCycle;

  /** Charged every N cycles (1-100). */
  @Column({ type: DataType.INTEGER, allowNull: false, defaultValue: 1 })
  declare billingInterval: CreationOptional<number>;

  /** 'YYYY-MM-DD' occurrences are counted from; set whenever the client sets nextPaymentDate. */
  @Column({ type: DataType.DATEONLY, allowNull: false })
  declare anchorDate: string;

  /** 'YYYY-MM-DD' of the next charge, in the owner's timezone. */
  @Column({ type: DataType.DATEONLY, allowNull: false })
  declare nextPaymentDate: string;

  /** 'YYYY-MM-DD' the free trial ends: nothing is charged before it, the first charge falls on it (the anchor). */
  @Column(DataType.DATEONLY)
  declare trialEndsOn: CreationOptional<string | null>;

  /** 'YYYY-MM-DD' a fixed term's last day: no charge after it; the advance step then cancels the plan. */
  @Column(DataType.DATEONLY)
  declare endsOn: CreationOptional<string | null>;

  /** 'YYYY-MM-DD' by which the owner must cancel to avoid the next term (at most 365 days ahead); reminded. */
  @Column(DataType.DATEONLY)
  declare cancelBy: CreationOptional<string | null>;

  @Column(DataType.STRING(80))
  declare category: CreationOptional<string | null>;

  @Column({ type: DataType.STRING(16), allowNull: false, defaultValue: 'active' })
  declare status: CreationOptional<SubscriptionStatus>;

  /** Days before a due date to remind: null inherits the user's offsets, [] means no reminders. */
  @Column(jsonTextColumn('reminderOffsets', { type: DataType.STRING(64), allowNull: true }))
  declare reminderOffsets: CreationOptional<number[] | null>;

  @Column(DataType.TEXT)
  declare notes: CreationOptional<string | null>;

  @Column(DataType.STRING(2048))
  declare url: CreationOptional<string | null>;

  /** When its dates, offsets or status last changed (a client edit, not advancing): no reminder before it is sent late. */
  @Column(DataType.DATE(3))
  declare remindersChangedAt: CreationOptional<Date | null>;

  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  @BelongsTo(() => User, { onDelete: 'CASCADE' })
  declare user?: NonAttribute<User>;

  /** Advancing moves only next_payment_date (a bulk update, no hooks); a client date change resets the anchor. */
  @BeforeUpdate
  static stampReminderChange(sub: Subscription): void {
    const fields = [
      'anchorDate',
      'reminderOffsets',
      'billingCycle',
      'billingInterval',
      'status',
      'trialEndsOn',
      'endsOn',
      'cancelBy',
    ] as const;
    if (fields.some((field) => sub.changed(field))) sub.remindersChangedAt = new Date();
  }
}
