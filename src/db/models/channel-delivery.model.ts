import type { CreationOptional, InferAttributes, InferCreationAttributes, NonAttribute } from 'sequelize';
import { BelongsTo, Column, DataType, ForeignKey, Model, Table } from 'sequelize-typescript';
import { Channel } from './channel.model';
import { User } from './user.model';

export type ChannelDeliveryStatus = 'pending' | 'sent' | 'failed' | 'skipped';

/** One delivery key (a reminder's `rem:...`) to one channel: planned once, updated as its attempts go. */
@Table({ tableName: 'channel_deliveries', underscored: true })
export class ChannelDelivery extends Model<
  InferAttributes<ChannelDelivery>,
  InferCreationAttributes<ChannelDelivery>
> {
  @Column({ type: DataType.INTEGER, primaryKey: true, autoIncrement: true })
  declare id: CreationOptional<number>;

  @ForeignKey(() => Channel)
  @Column({ type: DataType.INTEGER, allowNull: false })
  declare channelId: number;

  @ForeignKey(() => User)
  @Column({ type: DataType.INTEGER, allowNull: false })
  declare userId: number;

  /** The business key it delivers (unique with the channel). */
  @Column({ type: DataType.STRING(128), allowNull: false })
  declare deliveryKey: string;

  @Column({ type: DataType.STRING(32), allowNull: false })
  declare event: string;

  /** Stable per delivery key: the webhook-id header and the payload's id, so receivers can deduplicate. */
  @Column({ type: DataType.STRING(128), allowNull: false })
  declare messageId: string;

  /** The event as planned (JSON text), sent unchanged on every attempt. */
  @Column({ type: DataType.TEXT, allowNull: false })
  declare payload: string;

  @Column({ type: DataType.STRING(16), allowNull: false })
  declare status: ChannelDeliveryStatus;

  @Column({ type: DataType.INTEGER, allowNull: false, defaultValue: 0 })
  declare attempts: CreationOptional<number>;

  @Column(DataType.DATE(3))
  declare firstAttemptAt: CreationOptional<Date | null>;

  /** While pending: not before this instant (backoff, Retry-After). */
  @Column({ type: DataType.DATE(3), allowNull: false })
  declare nextAttemptAt: Date;

  /** The provider's last answer: HTTP status and the start of its body. */
  @Column(DataType.INTEGER)
  declare responseStatus: CreationOptional<number | null>;

  @Column(DataType.TEXT)
  declare responseBody: CreationOptional<string | null>;

  @Column(DataType.TEXT)
  declare error: CreationOptional<string | null>;

  /** The batch that planned it and alone delivers it. */
  @Column({ type: DataType.STRING(255), allowNull: false })
  declare workflowId: string;

  @Column(DataType.DATE(3))
  declare sentAt: CreationOptional<Date | null>;

  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  @BelongsTo(() => Channel, { onDelete: 'CASCADE' })
  declare channel?: NonAttribute<Channel>;
}
