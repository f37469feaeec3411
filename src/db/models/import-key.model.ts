import type { CreationOptional, InferAttributes, InferCreationAttributes } from 'sequelize';
import { Column, DataType, ForeignKey, Model, Table } from 'sequelize-typescript';
import { Subscription } from './subscription.model';
import { SubscriptionImport } from './subscription-import.model';
import { User } from './user.model';

/** The content key of an imported subscription, unique per user: the same row imported again is a duplicate. */
@Table({ tableName: 'import_keys', underscored: true, updatedAt: false })
export class ImportKey extends Model<InferAttributes<ImportKey>, InferCreationAttributes<ImportKey>> {
  @Column({ type: DataType.INTEGER, primaryKey: true, autoIncrement: true })
  declare id: CreationOptional<number>;

  @ForeignKey(() => User)
  @Column({ type: DataType.INTEGER, allowNull: false })
  declare userId: number;

  /** SHA-256 hex of the row's validated fields (src/import/validate-record.ts). */
  @Column({ type: DataType.CHAR(64), allowNull: false })
  declare contentKey: string;

  @ForeignKey(() => Subscription)
  @Column({ type: DataType.INTEGER, allowNull: false })
  declare subscriptionId: number;

  @ForeignKey(() => SubscriptionImport)
  @Column({ type: DataType.INTEGER, allowNull: false })
  declare importId: number;

  /** The row of that import: only a retry of the same row counts as created again. */
  @Column({ type: DataType.INTEGER, allowNull: false })
  declare importRow: number;

  declare createdAt: CreationOptional<Date>;
}
