/** What every import format is mapped to before validation: the export's field names, one record per row. */
import type { ImportFormat } from '../db/models';

/** The fields a row may set: the export's columns but created_at (an imported subscription is new here). */
export const IMPORT_FIELDS = [
  'name',
  'price',
  'currency',
  'billing_cycle',
  'billing_interval',
  'anchor_date',
  'next_payment_date',
  'category',
  'status',
  'reminder_offsets',
  'notes',
  'url',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

/** A row's values as the file held them (mapped to our names, not yet validated). */
export type ImportRecord = Partial<Record<ImportField, unknown>>;

/** A problem found in one row; `field` is one of IMPORT_FIELDS, or `row` for the row as a whole. */
export interface FieldProblem {
  field: string;
  message: string;
}

/** One row of a file: its number (records counted from 1, a CSV header not counted), its record, and what mapping found wrong. */
export interface ParsedRow {
  row: number;
  record: ImportRecord;
  problems?: FieldProblem[];
}

export interface ParsedImport {
  format: ImportFormat;
  rows: ParsedRow[];
}

/** The file as a whole is not importable (unknown format, broken CSV): 422 with `code`. */
export class ImportFileError extends Error {
  constructor(
    public readonly code: 'import_format_unknown' | 'import_malformed',
    message: string,
  ) {
    super(message);
    this.name = 'ImportFileError';
  }
}

/** Keeps only the import fields of a plain object (a JSON row of our export). */
export function pickFields(source: Record<string, unknown>): ImportRecord {
  const record: ImportRecord = {};
  for (const field of IMPORT_FIELDS) if (field in source) record[field] = source[field];
  return record;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A JSON array element that is no object: the row is reported, the others still import. */
export function notAnObject(row: number): ParsedRow {
  return { row, record: {}, problems: [{ field: 'row', message: 'must be a JSON object' }] };
}
