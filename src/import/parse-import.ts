/** Recognises an uploaded file's format and maps its rows (src/import/import-record.ts). */
import { ImportFileError, type ParsedImport } from './import-record';
import { parseSeedJson } from './seed-json-format';
import { parseSubtrackerCsv } from './subtracker-csv-format';
import { isSubtrackerJson, parseSubtrackerJson } from './subtracker-json-format';
import { isWallosJson, parseWallosJson } from './wallos-json-format';

export type ImportBody = { kind: 'json'; document: unknown } | { kind: 'csv'; text: string };

/**
 * Our JSON export (by its `format`), Wallos's (its envelope, or an array of rows keyed "Name", "Next Payment",
 * ...), the seed's (any other array), or our CSV export; anything else is ImportFileError.
 */
export function parseImport(body: ImportBody): ParsedImport {
  if (body.kind === 'csv') return parseSubtrackerCsv(body.text);
  const doc = body.document;
  if (isSubtrackerJson(doc)) return parseSubtrackerJson(doc);
  if (isWallosJson(doc)) return parseWallosJson(doc);
  if (Array.isArray(doc)) return parseSeedJson(doc);
  throw new ImportFileError(
    'import_format_unknown',
    'Send a SubTracker export (JSON or CSV), a Wallos JSON export, or an array of subscriptions.',
  );
}
