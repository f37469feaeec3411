import type { CreationOptional, InferAttributes, InferCreationAttributes, NonAttribute } from 'sequelize';
import { BelongsTo, Column, DataType, ForeignKey, Model, Table } from 'sequelize-typescript';
import type { ReminderKind } from '../../temporal/contract';
import { Subscription } from './subscription.model';
import { User } from './user.model';

export type ReminderStatus = 'sent' | 'failed' | 'skipped';

/** The outcome of one reminder (subscription, due date, offset), written exactly once. */
@Table({ tableName: 'reminder_logs', underscored: true })
export class ReminderLog extends Model<InferAttributes<ReminderLog>, InferCreationAttributes<ReminderLog>> {
  @Column({ type: DataType.INTEGER, primaryKey: true, autoIncrement: true })
  declare id: CreationOptional<number>;

  @ForeignKey(() => Subscription)
  @Column({ type: DataType.INTEGER, allowNull: false })
  declare subscriptionId: number;

  @ForeignKey(() => User)
  @Column({ type: DataType.INTEGER, allowNull: false })
  declare userId: number;

  /** 'YYYY-MM-DD' of the charge reminded about. */
  @Column({ type: DataType.DATEONLY, allowNull: false })
  declare dueDate: string;

  @Column({ type: DataType.INTEGER, allowNull: false })
  declare offsetDays: number;

  /** What it reminded about: a charge, or a free trial ending (its key starts `trial:`). */
  @Column({ type: DataType.STRING(16), allowNull: false, defaultValue: 'charge' })
  declare kind: CreationOptional<ReminderKind>;

  /** `rem:{subscriptionId}:{dueDate}:{offset}`: the unique index makes a second write of it fail. */
  @Column({ type: DataType.STRING(128), allowNull: false, unique: true })
  declare idempotencyKey: string;

  @Column({ type: DataType.STRING(16), allowNull: false })
  declare status: ReminderStatus;

  /** Why it was skipped: missed, superseded, paused, ... */
  @Column(DataType.STRING(32))
  declare reason: CreationOptional<string | null>;

  /** status === 'sent', kept for seed clients. */
  @Column({ type: DataType.BOOLEAN, allowNull: false, defaultValue: false })
  declare success: CreationOptional<boolean>;

  /** The text sent (or that would have been). */
  @Column(DataType.TEXT)
  declare message: CreationOptional<string | null>;

  /** Last delivery error when failed. */
  @Column(DataType.TEXT)
  declare error: CreationOptional<string | null>;

  /** Delivery attempts made. */
  @Column({ type: DataType.INTEGER, allowNull: false, defaultValue: 0 })
  declare attempts: CreationOptional<number>;

  @Column(DataType.STRING(255))
  declare providerMessageId: CreationOptional<string | null>;

  /** Sent after its instant, by catch-up. */
  @Column({ type: DataType.BOOLEAN, allowNull: false, defaultValue: false })
  declare late: CreationOptional<boolean>;

  @Column(DataType.DATE(3))
  declare sentAt: CreationOptional<Date | null>;

  /** The workflow (and its run) that wrote the row: a link to it in the Temporal Web UI. */
  @Column(DataType.STRING(255))
  declare workflowId: CreationOptional<string | null>;

  @Column(DataType.STRING(255))
  declare workflowRunId: CreationOptional<string | null>;

  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  @BelongsTo(() => Subscription, { onDelete: 'CASCADE' })
  declare subscription?: NonAttribute<Subscription>;

  @BelongsTo(() => User, { onDelete: 'CASCADE' })
  declare user?: NonAttribute<User>;
}
