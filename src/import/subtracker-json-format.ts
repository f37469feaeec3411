/** Our own JSON export (GET /subscriptions/export?format=json), recognised by its `format`. */
import { EXPORT_FORMAT } from '../http/presenters/subscription-export-presenter';
import { isPlainObject, notAnObject, pickFields, type ParsedImport } from './import-record';

export function isSubtrackerJson(doc: unknown): doc is { format: string; subscriptions: unknown[] } {
  return isPlainObject(doc) && doc.format === EXPORT_FORMAT && Array.isArray(doc.subscriptions);
}

export function parseSubtrackerJson(doc: { subscriptions: unknown[] }): ParsedImport {
  return {
    format: 'subtracker-json',
    rows: doc.subscriptions.map((item, i) =>
      isPlainObject(item) ? { row: i + 1, record: pickFields(item) } : notAnObject(i + 1),
    ),
  };
}
