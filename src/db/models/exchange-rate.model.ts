import type { CreationOptional, InferAttributes, InferCreationAttributes } from 'sequelize';
import { Column, DataType, Model, Table } from 'sequelize-typescript';

/** One euro reference rate of the European Central Bank: `rate` units of `currency` per euro on `rateDate`. */
@Table({ tableName: 'exchange_rates', underscored: true })
export class ExchangeRate extends Model<
  InferAttributes<ExchangeRate>,
  InferCreationAttributes<ExchangeRate>
> {
  /** 'YYYY-MM-DD', the publication day (a TARGET business day, Central European Time). */
  @Column({ type: DataType.DATEONLY, primaryKey: true })
  declare rateDate: string;

  /** ISO 4217 code; the euro itself is never stored (its rate is 1 by definition). */
  @Column({ type: DataType.CHAR(3), primaryKey: true })
  declare currency: string;

  /** The published decimal text ("1.0523"), never a float. */
  @Column({ type: DataType.STRING(24), allowNull: false })
  declare rate: string;

  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}
