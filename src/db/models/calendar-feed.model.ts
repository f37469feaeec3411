import type { CreationOptional, InferAttributes, InferCreationAttributes, NonAttribute } from 'sequelize';
import { BelongsTo, Column, DataType, ForeignKey, Model, Table } from 'sequelize-typescript';
import { User } from './user.model';

/** A user's secret calendar-feed URL: only the SHA-256 of its token is stored. */
@Table({ tableName: 'calendar_feeds', underscored: true, updatedAt: false })
export class CalendarFeed extends Model<
  InferAttributes<CalendarFeed>,
  InferCreationAttributes<CalendarFeed>
> {
  @ForeignKey(() => User)
  @Column({ type: DataType.INTEGER, primaryKey: true })
  declare userId: number;

  /** SHA-256 hex of the token in the URL. */
  @Column({ type: DataType.CHAR(64), allowNull: false, unique: true })
  declare tokenHash: string;

  declare createdAt: CreationOptional<Date>;

  @BelongsTo(() => User, { onDelete: 'CASCADE' })
  declare user?: NonAttribute<User>;
}
