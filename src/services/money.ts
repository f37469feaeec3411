/**
 * Money on the wire is a decimal string with two places ("29.99") for every currency; inside it is an integer
 * number of minor units (docs/data-model.md). Conversions are done on the digits, never through floating point.
 */

/** Largest price a subscription may have, in minor units (99,999,999.99). */
export const MAX_PRICE_MINOR = 9_999_999_999;

const DECIMAL = /^(\d{1,8})(?:\.(\d{1,2}))?$/;

/** Minor units of a decimal string with at most two places ("29.9" -> 2990); undefined if it is not one. */
export function parseMoney(value: string): number | undefined {
  const match = DECIMAL.exec(value.trim());
  if (!match) return undefined;
  const [, whole, fraction = ''] = match;
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}

/** "29.99" for 2999; negative amounts keep their sign ("-0.05"). */
export function formatMoney(minor: number): string {
  if (!Number.isSafeInteger(minor)) throw new RangeError(`Not a whole number of minor units: ${minor}`);
  const sign = minor < 0 ? '-' : '';
  const digits = String(Math.abs(minor)).padStart(3, '0');
  return `${sign}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}
