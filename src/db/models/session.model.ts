import type { CreationOptional, InferAttributes, InferCreationAttributes, NonAttribute } from 'sequelize';
import { BelongsTo, Column, DataType, ForeignKey, Model, Table } from 'sequelize-typescript';
import { User } from './user.model';

/** A login: the database is the source of truth for revocation; Redis only caches revoked sids. */
@Table({ tableName: 'sessions', underscored: true, updatedAt: false })
export class Session extends Model<InferAttributes<Session>, InferCreationAttributes<Session>> {
  /** The JWT `sid` claim. */
  @Column({ type: DataType.STRING(36), primaryKey: true, defaultValue: DataType.UUIDV4 })
  declare sid: CreationOptional<string>;

  @ForeignKey(() => User)
  @Column({ type: DataType.INTEGER, allowNull: false })
  declare userId: number;

  /** jti of the one refresh token currently valid. */
  @Column({ type: DataType.STRING(36), allowNull: false })
  declare refreshJti: string;

  /** jti it replaced: presented again within the grace period it gets the same successor. */
  @Column(DataType.STRING(36))
  declare previousJti: CreationOptional<string | null>;

  @Column(DataType.DATE(3))
  declare rotatedAt: CreationOptional<Date | null>;

  @Column({ type: DataType.DATE(3), allowNull: false, defaultValue: DataType.NOW })
  declare lastUsedAt: CreationOptional<Date>;

  @Column({ type: DataType.DATE(3), allowNull: false })
  declare expiresAt: Date;

  @Column(DataType.DATE(3))
  declare revokedAt: CreationOptional<Date | null>;

  @Column(DataType.STRING(512))
  declare userAgent: CreationOptional<string | null>;

  @Column(DataType.STRING(64))
  declare ip: CreationOptional<string | null>;

  declare createdAt: CreationOptional<Date>;

  @BelongsTo(() => User, { onDelete: 'CASCADE' })
  declare user?: NonAttribute<User>;
}
