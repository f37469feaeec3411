import type { CreationOptional, InferAttributes, InferCreationAttributes, NonAttribute } from 'sequelize';
import { BelongsTo, Column, DataType, ForeignKey, Model, Table } from 'sequelize-typescript';
import { User } from './user.model';

export type ApiTokenScope = 'read' | 'write';

/** A personal API token; the secret itself is never stored, only its SHA-256. Deleted when revoked. */
@Table({ tableName: 'api_tokens', underscored: true, updatedAt: false })
export class ApiToken extends Model<InferAttributes<ApiToken>, InferCreationAttributes<ApiToken>> {
  @Column({ type: DataType.INTEGER, primaryKey: true, autoIncrement: true })
  declare id: CreationOptional<number>;

  @ForeignKey(() => User)
  @Column({ type: DataType.INTEGER, allowNull: false })
  declare userId: number;

  /** The owner's label, e.g. "homepage dashboard". */
  @Column({ type: DataType.STRING(80), allowNull: false })
  declare name: string;

  /** SHA-256 hex of the secret: what a Bearer header is looked up by. */
  @Column({ type: DataType.CHAR(64), allowNull: false, unique: true })
  declare tokenHash: string;

  /** The secret's first characters, shown in lists so the owner can tell tokens apart. */
  @Column({ type: DataType.STRING(16), allowNull: false })
  declare prefix: string;

  /** 'read' or 'read,write'. */
  @Column({
    type: DataType.STRING(32),
    allowNull: false,
    get(this: ApiToken) {
      return String(this.getDataValue('scopes')).split(',') as ApiTokenScope[];
    },
    set(this: ApiToken, value: ApiTokenScope[]) {
      this.setDataValue('scopes', value.join(',') as unknown as ApiTokenScope[]);
    },
  })
  declare scopes: ApiTokenScope[];

  @Column(DataType.DATE(3))
  declare expiresAt: CreationOptional<Date | null>;

  /** Updated at most once a minute, so a busy script does not write on every request. */
  @Column(DataType.DATE(3))
  declare lastUsedAt: CreationOptional<Date | null>;

  declare createdAt: CreationOptional<Date>;

  @BelongsTo(() => User, { onDelete: 'CASCADE' })
  declare user?: NonAttribute<User>;
}
