import type { CreationOptional, InferAttributes, InferCreationAttributes, NonAttribute } from 'sequelize';
import { BelongsTo, Column, DataType, ForeignKey, Model, Table } from 'sequelize-typescript';
import { jsonTextColumn } from './columns';
import { User } from './user.model';

export type ChannelType = 'webhook' | 'ntfy' | 'discord' | 'slack' | 'telegram';
export type ChannelEvent = 'reminder' | 'report';

/** A user's notification target beyond the account email. */
@Table({ tableName: 'channels', underscored: true })
export class Channel extends Model<InferAttributes<Channel>, InferCreationAttributes<Channel>> {
  @Column({ type: DataType.INTEGER, primaryKey: true, autoIncrement: true })
  declare id: CreationOptional<number>;

  @ForeignKey(() => User)
  @Column({ type: DataType.INTEGER, allowNull: false })
  declare userId: number;

  @Column({ type: DataType.STRING(16), allowNull: false })
  declare type: ChannelType;

  /** The owner's label for it. */
  @Column(DataType.STRING(80))
  declare name: CreationOptional<string | null>;

  /** Settings a client may read back (webhook URL, ntfy server and topic, Telegram chat id), JSON text. */
  @Column(jsonTextColumn('settings', { type: DataType.TEXT, allowNull: false }))
  declare settings: Record<string, string>;

  /** Secrets (signing secret, tokens, token-bearing URLs) as one JSON object, encrypted (secret-box.ts). */
  @Column({ type: DataType.TEXT, allowNull: false })
  declare secrets: string;

  /** Kinds of deliveries it receives, JSON text. */
  @Column(jsonTextColumn('events', { type: DataType.STRING(255), allowNull: false }))
  declare events: ChannelEvent[];

  @Column({ type: DataType.BOOLEAN, allowNull: false, defaultValue: true })
  declare enabled: CreationOptional<boolean>;

  /** Permanent failures in a row; reaching CHANNEL_DISABLE_AFTER disables the channel. */
  @Column({ type: DataType.INTEGER, allowNull: false, defaultValue: 0 })
  declare consecutiveFailures: CreationOptional<number>;

  /** Why delivery switched it off (cleared when the owner enables it again). */
  @Column(DataType.STRING(255))
  declare disabledReason: CreationOptional<string | null>;

  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  @BelongsTo(() => User, { onDelete: 'CASCADE' })
  declare user?: NonAttribute<User>;
}
