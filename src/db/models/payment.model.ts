import type { CreationOptional, InferAttributes, InferCreationAttributes, NonAttribute } from 'sequelize';
import { BelongsTo, Column, DataType, ForeignKey, Model, Table } from 'sequelize-typescript';
import { moneyColumn } from './columns';
import { Subscription } from './subscription.model';
import { User } from './user.model';

/** Ledger: one row per charge that came due. Rows outlive their subscription, hence the snapshots. */
@Table({ tableName: 'payments', underscored: true })
export class Payment extends Model<InferAttributes<Payment>, InferCreationAttributes<Payment>> {
  @Column({ type: DataType.INTEGER, primaryKey: true, autoIncrement: true })
  declare id: CreationOptional<number>;

  /** Null once the subscription is deleted (ON DELETE SET NULL). */
  @ForeignKey(() => Subscription)
  @Column(DataType.INTEGER)
  declare subscriptionId: number | null;

  @ForeignKey(() => User)
  @Column({ type: DataType.INTEGER, allowNull: false })
  declare userId: number;

  /** Subscription name when the charge came due. */
  @Column({ type: DataType.STRING(120), allowNull: false })
  declare name: string;

  /** Subscription category when the charge came due. */
  @Column(DataType.STRING(80))
  declare category: CreationOptional<string | null>;

  /** 'YYYY-MM-DD' in the owner's timezone. */
  @Column({ type: DataType.DATEONLY, allowNull: false })
  declare dueDate: string;

  @Column(moneyColumn('amountMinor'))
  declare amountMinor: number;

  @Column({ type: DataType.CHAR(3), allowNull: false })
  declare currency: string;

  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  @BelongsTo(() => Subscription, { onDelete: 'SET NULL' })
  declare subscription?: NonAttribute<Subscription | null>;

  @BelongsTo(() => User, { onDelete: 'CASCADE' })
  declare user?: NonAttribute<User>;
}
