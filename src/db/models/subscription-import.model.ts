import type { CreationOptional, InferAttributes, InferCreationAttributes, NonAttribute } from 'sequelize';
import { BelongsTo, Column, DataType, ForeignKey, Model, Table } from 'sequelize-typescript';
import { jsonTextColumn } from './columns';
import { User } from './user.model';

export type ImportStatus = 'pending' | 'running' | 'completed' | 'failed';
export type ImportFormat = 'subtracker-json' | 'subtracker-csv' | 'seed-json' | 'wallos-json';

/** One problem with one row of an import: `row` counts the file's records from 1. */
export interface ImportRowError {
  row: number;
  field: string;
  message: string;
}

/** An uploaded file's rows and the report of the workflow importing them (docs/http-api.md). */
@Table({ tableName: 'imports', underscored: true })
export class SubscriptionImport extends Model<
  InferAttributes<SubscriptionImport>,
  InferCreationAttributes<SubscriptionImport>
> {
  @Column({ type: DataType.INTEGER, primaryKey: true, autoIncrement: true })
  declare id: CreationOptional<number>;

  @ForeignKey(() => User)
  @Column({ type: DataType.INTEGER, allowNull: false })
  declare userId: number;

  @Column({ type: DataType.STRING(32), allowNull: false })
  declare format: ImportFormat;

  @Column({ type: DataType.STRING(16), allowNull: false })
  declare status: ImportStatus;

  /** The parsed rows (src/import/import-record.ts), JSON text. */
  @Column(jsonTextColumn('rows', { type: DataType.TEXT, allowNull: false }))
  declare rows: unknown[];

  @Column({ type: DataType.INTEGER, allowNull: false })
  declare totalRows: number;

  /** Rows before this index are done and counted. */
  @Column({ type: DataType.INTEGER, allowNull: false, defaultValue: 0 })
  declare nextRow: CreationOptional<number>;

  @Column({ type: DataType.INTEGER, allowNull: false, defaultValue: 0 })
  declare created: CreationOptional<number>;

  @Column({ type: DataType.INTEGER, allowNull: false, defaultValue: 0 })
  declare duplicates: CreationOptional<number>;

  @Column(jsonTextColumn('errors', { type: DataType.TEXT, allowNull: false }))
  declare errors: ImportRowError[];

  /** Why the workflow gave up (status failed). */
  @Column(DataType.STRING(1024))
  declare failure: CreationOptional<string | null>;

  @Column(DataType.STRING(255))
  declare workflowId: CreationOptional<string | null>;

  @Column(DataType.DATE(3))
  declare finishedAt: CreationOptional<Date | null>;

  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  @BelongsTo(() => User, { onDelete: 'CASCADE' })
  declare user?: NonAttribute<User>;
}
