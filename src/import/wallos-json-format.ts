/**
 * Wallos's JSON export: its endpoint (endpoints/subscriptions/export.php) answers `{ success, subscriptions }`,
 * and its profile page's "export as JSON" saves the `subscriptions` array alone (scripts/profile.js). Each row is
 * keyed by display names: Name, Payment Cycle ("Monthly", "Every 3 Months"; absent before December 2024),
 * Next Payment, Category (spelt "Categpry" in some 2024 versions), Price (the currency's symbol, then the
 * amount: "$9.99", "€12"), Notes, URL, State (Enabled / Disabled), Notifications (Enabled / Disabled), Active.
 * Payment method, payer, renewal and cancellation date have no counterpart here and are not read.
 */
import {
  isPlainObject,
  notAnObject,
  type FieldProblem,
  type ImportRecord,
  type ParsedImport,
} from './import-record';

const CYCLES: Record<string, string> = { day: 'daily', week: 'weekly', month: 'monthly', year: 'yearly' };
const SINGLE_CYCLES: Record<string, string> = {
  daily: 'daily',
  weekly: 'weekly',
  monthly: 'monthly',
  yearly: 'yearly',
};

/**
 * Symbols Wallos ships with that name one currency. A bare "$" is read as USD; an unknown symbol leaves the
 * currency unset, so the account's currency applies.
 */
const SYMBOLS: Record<string, string> = {
  $: 'USD',
  US$: 'USD',
  '€': 'EUR',
  '£': 'GBP',
  '¥': 'JPY',
  '₹': 'INR',
  '₩': 'KRW',
  '₽': 'RUB',
  '₺': 'TRY',
  '₴': 'UAH',
  '₪': 'ILS',
  '₫': 'VND',
  '฿': 'THB',
  '₱': 'PHP',
  zł: 'PLN',
  R$: 'BRL',
  A$: 'AUD',
  C$: 'CAD',
  CA$: 'CAD',
  AU$: 'AUD',
  NZ$: 'NZD',
  HK$: 'HKD',
  S$: 'SGD',
  Fr: 'CHF',
};

const hasWallosKeys = (item: unknown) => isPlainObject(item) && ('Next Payment' in item || 'Name' in item);

/** The endpoint's envelope, or an array of rows with Wallos's keys (the saved download). */
export function isWallosJson(doc: unknown): doc is { subscriptions: unknown[] } | unknown[] {
  if (Array.isArray(doc)) return doc.some(hasWallosKeys);
  if (!isPlainObject(doc) || !Array.isArray(doc.subscriptions)) return false;
  return 'success' in doc || doc.subscriptions.some(hasWallosKeys);
}

/** "Monthly" -> monthly/1, "Every 3 Months" -> monthly/3. */
function readCycle(value: unknown): { cycle: string; interval: number } | undefined {
  if (typeof value !== 'string') return undefined;
  const single = SINGLE_CYCLES[value.trim().toLowerCase()];
  if (single) return { cycle: single, interval: 1 };
  const every = /^every\s+(\d+)\s+(day|week|month|year)s?$/i.exec(value.trim());
  if (every) return { cycle: CYCLES[every[2]!.toLowerCase()]!, interval: Number(every[1]) };
  return undefined;
}

/** "€12.5" -> { price: "12.5", currency: "EUR" }; "CHF 20" -> CHF. */
function readPrice(value: unknown): { price: string; currency?: string } | undefined {
  const text =
    typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : undefined;
  const match = text === undefined ? null : /^(.*?)\s*(\d+(?:\.\d+)?)\s*$/.exec(text);
  if (!match) return undefined;
  const symbol = match[1]!.trim();
  const currency = /^[A-Za-z]{3}$/.test(symbol) ? symbol.toUpperCase() : SYMBOLS[symbol];
  return currency ? { price: match[2]!, currency } : { price: match[2]! };
}

const blankToNull = (value: unknown) => (value === '' || value === undefined ? null : value);
/** Wallos's default category, which every account has: no category here. */
const NO_CATEGORY = 'No category';

function mapRow(item: Record<string, unknown>): { record: ImportRecord; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const record: ImportRecord = {
    name: item.Name,
    next_payment_date: item['Next Payment'],
    category: blankToNull(
      (item.Category ?? item.Categpry) === NO_CATEGORY ? '' : (item.Category ?? item.Categpry),
    ),
    notes: blankToNull(item.Notes),
    url: blankToNull(item.URL),
    status: item.State === 'Disabled' || item.Active === 'No' ? 'cancelled' : 'active',
    reminder_offsets: item.Notifications === 'Disabled' ? [] : null,
  };
  const price = readPrice(item.Price);
  if (price) Object.assign(record, price);
  else problems.push({ field: 'price', message: 'must be a currency symbol and an amount, like "$9.99"' });
  if (!('Payment Cycle' in item)) {
    Object.assign(record, { billing_cycle: 'monthly', billing_interval: 1 });
  } else {
    const cycle = readCycle(item['Payment Cycle']);
    if (cycle) Object.assign(record, { billing_cycle: cycle.cycle, billing_interval: cycle.interval });
    else problems.push({ field: 'billing_cycle', message: 'must be like "Monthly" or "Every 3 Months"' });
  }
  return { record, problems };
}

export function parseWallosJson(doc: { subscriptions: unknown[] } | unknown[]): ParsedImport {
  const items = Array.isArray(doc) ? doc : doc.subscriptions;
  return {
    format: 'wallos-json',
    rows: items.map((item, i) => {
      if (!isPlainObject(item)) return notAnObject(i + 1);
      const { record, problems } = mapRow(item);
      return problems.length ? { row: i + 1, record, problems } : { row: i + 1, record };
    }),
  };
}
