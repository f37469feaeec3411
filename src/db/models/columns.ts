import type { Model, ModelAttributeColumnOptions } from 'sequelize';
import { DataType } from 'sequelize-typescript';

type ColumnOptions = Partial<ModelAttributeColumnOptions>;

/**
 * Money in minor units. Always read as a JS number: mysql2 would hand out a string past 2^53, which amounts
 * (at most 9,999,999,999) never reach; the getter keeps both dialects identical. Raw queries bypass it.
 */
export function moneyColumn(attribute: string): ColumnOptions {
  return {
    type: DataType.BIGINT,
    allowNull: false,
    get(this: Model) {
      const raw: unknown = this.getDataValue(attribute);
      return raw === null || raw === undefined ? raw : Number(raw);
    },
  };
}

/**
 * A JSON value kept as text: portable across SQLite and MariaDB, and unlike MySQL's JSON type it takes a
 * literal default. `null` stays SQL NULL; a default must be given as JSON text.
 */
export function jsonTextColumn(attribute: string, options: ColumnOptions): ColumnOptions {
  return {
    ...options,
    get(this: Model) {
      const raw: unknown = this.getDataValue(attribute);
      return typeof raw === 'string' ? (JSON.parse(raw) as unknown) : null;
    },
    set(this: Model, value: unknown) {
      this.setDataValue(attribute, value === null || value === undefined ? null : JSON.stringify(value));
    },
  };
}
