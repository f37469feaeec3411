/**
 * How emails write amounts and dates: amounts in their own currency ("$1,234.50", "€9.99"), calendar dates
 * (already in the owner's zone) as dates, never shifted by the server's zone.
 */
import { formatMoney } from '../../services/money';

const LOCALE = 'en-US';
const moneyFormats = new Map<string, Intl.NumberFormat | null>();

function moneyFormat(currency: string): Intl.NumberFormat | null {
  if (!moneyFormats.has(currency)) {
    try {
      // Every currency is stored with two decimals (docs/data-model.md), so always show two.
      const format = new Intl.NumberFormat(LOCALE, {
        style: 'currency',
        currency,
        minimumFractionDigits: 2,
        maximumFractionDigits: 2,
      });
      moneyFormats.set(currency, format);
    } catch {
      moneyFormats.set(currency, null);
    }
  }
  return moneyFormats.get(currency) ?? null;
}

/** "$1,234.50" for 123450 USD; an unknown code falls back to "1234.50 XYZ". */
export function formatAmount(minor: number, currency: string): string {
  const decimal = formatMoney(minor);
  const format = moneyFormat(currency);
  // The decimal string has two places, so the double it parses to rounds back to exactly those digits.
  return format ? format.format(Number(decimal)) : `${decimal} ${currency}`;
}

/** "+$12.00", "-€3.50", "±$0.00": a change between two amounts of one currency. */
export function formatChange(minor: number, currency: string): string {
  if (minor === 0) return `±${formatAmount(0, currency)}`;
  return `${minor > 0 ? '+' : '-'}${formatAmount(Math.abs(minor), currency)}`;
}

/** A calendar date 'YYYY-MM-DD' as "Sun, 1 Nov 2026" (formatted at UTC noon, so no zone can move it). */
export function formatShortDate(date: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(`${date}T12:00:00Z`));
}

/** A month 'YYYY-MM' as "November 2026". */
export function formatMonth(month: string): string {
  return new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(`${month}-15T12:00:00Z`),
  );
}

/** "1 charge", "5 charges". */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
