import type { CreationOptional, InferAttributes, InferCreationAttributes, NonAttribute } from 'sequelize';
import { BelongsTo, Column, DataType, ForeignKey, Model, Table } from 'sequelize-typescript';
import { jsonTextColumn } from './columns';
import { User } from './user.model';

export type ReportStatus = 'sent' | 'skipped' | 'failed';

/** One monthly spending report per user and month. */
@Table({ tableName: 'monthly_reports', underscored: true })
export class MonthlyReport extends Model<
  InferAttributes<MonthlyReport>,
  InferCreationAttributes<MonthlyReport>
> {
  @Column({ type: DataType.INTEGER, primaryKey: true, autoIncrement: true })
  declare id: CreationOptional<number>;

  @ForeignKey(() => User)
  @Column({ type: DataType.INTEGER, allowNull: false })
  declare userId: number;

  /** 'YYYY-MM' in the user's timezone. */
  @Column({ type: DataType.CHAR(7), allowNull: false })
  declare month: string;

  /** The computed totals as sent (JSON text). */
  @Column(jsonTextColumn('totals', { type: DataType.TEXT, allowNull: true }))
  declare totals: CreationOptional<Record<string, unknown> | null>;

  @Column({ type: DataType.STRING(16), allowNull: false })
  declare status: ReportStatus;

  @Column(DataType.STRING(255))
  declare providerMessageId: CreationOptional<string | null>;

  @Column(DataType.DATE(3))
  declare sentAt: CreationOptional<Date | null>;

  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  @BelongsTo(() => User, { onDelete: 'CASCADE' })
  declare user?: NonAttribute<User>;
}
