/**
 * The Flask seed's subscriptions as JSON: the array its GET /subscriptions answers, each
 * `{ id, user_id, name, price: "9.99", billing_cycle: weekly|monthly|yearly, next_payment_date, category,
 * created_at, updated_at }`. Only the fields a user set are read; ids and timestamps belong to the old server.
 */
import { isPlainObject, notAnObject, type ImportRecord, type ParsedImport } from './import-record';

const SEED_FIELDS = ['name', 'price', 'billing_cycle', 'next_payment_date', 'category'] as const;

export function parseSeedJson(doc: unknown[]): ParsedImport {
  return {
    format: 'seed-json',
    rows: doc.map((item, i) => {
      if (!isPlainObject(item)) return notAnObject(i + 1);
      const record: ImportRecord = {};
      for (const field of SEED_FIELDS) if (field in item) record[field] = item[field];
      return { row: i + 1, record };
    }),
  };
}
