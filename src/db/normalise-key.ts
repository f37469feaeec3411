/**
 * The comparison key of a name that must be unique regardless of case and spacing (emails, subscription
 * names): trimmed, Unicode NFC (so a decomposed "é" equals the composed one), lower-cased. Stored next to the
 * original under a binary collation, so "Cafe" and "Café" stay distinct on SQLite and MariaDB alike.
 */
export function normaliseKey(value: string): string {
  return value.trim().normalize('NFC').toLowerCase();
}
