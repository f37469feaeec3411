/**
 * Our own CSV export (GET /subscriptions/export?format=csv): a header of the export's columns, then one record
 * per subscription; an empty cell is null and reminder_offsets is JSON text ("" inherits, "[]" none).
 */
import { CsvError, parse } from 'csv-parse/sync';
import {
  IMPORT_FIELDS,
  ImportFileError,
  type FieldProblem,
  type ImportField,
  type ImportRecord,
  type ParsedImport,
  type ParsedRow,
} from './import-record';

/** Columns that must be in the header; the others may be left out (their defaults apply). */
const REQUIRED = ['name', 'price', 'billing_cycle', 'next_payment_date'] as const;
const NULLABLE = new Set<string>(['category', 'notes', 'url', 'reminder_offsets', 'currency', 'anchor_date']);

function readCells(cells: string[], header: string[]): { record: ImportRecord; problems: FieldProblem[] } {
  const record: ImportRecord = {};
  const problems: FieldProblem[] = [];
  header.forEach((column, i) => {
    if (!(IMPORT_FIELDS as readonly string[]).includes(column)) return;
    const field = column as ImportField;
    const cell = cells[i] ?? '';
    if (cell === '' && NULLABLE.has(field)) {
      record[field] = null;
    } else if (field === 'billing_interval') {
      record[field] = /^\d+$/.test(cell) ? Number(cell) : cell;
    } else if (field === 'reminder_offsets') {
      try {
        record[field] = JSON.parse(cell) as unknown;
      } catch {
        problems.push({ field, message: 'must be a JSON list of days, like [7,1]' });
      }
    } else {
      record[field] = cell;
    }
  });
  return { record, problems };
}

export function parseSubtrackerCsv(text: string): ParsedImport {
  let records: string[][];
  try {
    records = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true, trim: false });
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    const line = (err as CsvError & { lines?: number }).lines;
    throw new ImportFileError(
      'import_malformed',
      `The CSV cannot be read${line ? ` (line ${line})` : ''}: ${err.message}`,
    );
  }
  const [header = [], ...data] = records;
  const missing = REQUIRED.filter((column) => !header.includes(column));
  if (missing.length) {
    throw new ImportFileError(
      'import_format_unknown',
      `The CSV header must name the export's columns; missing: ${missing.join(', ')}.`,
    );
  }
  const rows = data.map((cells, i): ParsedRow => {
    const row = i + 1;
    if (cells.length !== header.length) {
      return {
        row,
        record: {},
        problems: [{ field: 'row', message: `has ${cells.length} cells; the header has ${header.length}` }],
      };
    }
    const { record, problems } = readCells(cells, header);
    return problems.length ? { row, record, problems } : { row, record };
  });
  return { format: 'subtracker-csv', rows };
}
