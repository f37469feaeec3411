import { formatAmount, formatChange, formatMonth, formatShortDate, plural } from './format';
import { renderReportHtml } from './report-email-html';
import type { RenderedEmail } from './rendered-email';
import type { ReportView } from './report-view';

/** One charge as the report lists it. */
export interface ReportEmailCharge {
  name: string;
  category: string | null;
  /** 'YYYY-MM-DD' in the owner's zone. */
  dueDate: string;
  amountMinor: number;
  currency: string;
}

export interface ReportEmailInput {
  username: string;
  /** 'YYYY-MM' reported. */
  month: string;
  /** The owner's IANA zone: every date is a calendar date there. */
  timezone: string;
  /** The owner's currency: listed first. */
  currency: string;
  /** The month's totals per currency (minor units), exactly as GET /stats/summary states them. */
  totals: Record<string, { totalMinor: number; byCategory: Record<string, number>; chargesCount: number }>;
  /** The previous month's total per currency, for the change. */
  previousTotals: Record<string, { totalMinor: number }>;
  /** Every charge of the month. */
  charges: ReportEmailCharge[];
  /** The largest charges expected next month, largest first. */
  upcoming: ReportEmailCharge[];
  unsubscribeUrl: string;
  /** A developer test send (POST /stats/send-test): says so in the subject. */
  test?: boolean;
}

/** The owner's currency first, then the others alphabetically. */
function currencyOrder(own: string, codes: Iterable<string>): string[] {
  return [...new Set(codes)].sort((a, b) => (a === own ? -1 : b === own ? 1 : a.localeCompare(b)));
}

function changeText(
  current: number,
  previous: number | undefined,
  currency: string,
  previousLabel: string,
): string {
  if (previous === undefined || previous === 0) return `new this month (nothing in ${previousLabel})`;
  if (current === 0) return `nothing this month (${formatAmount(previous, currency)} in ${previousLabel})`;
  return `${formatChange(current - previous, currency)} (${formatAmount(previous, currency)} in ${previousLabel})`;
}

export function reportView(input: ReportEmailInput): ReportView {
  const monthLabel = formatMonth(input.month);
  const [year, month] = input.month.split('-').map(Number);
  const shift = (by: number) =>
    formatMonth(new Date(Date.UTC(year, month - 1 + by, 15)).toISOString().slice(0, 7));
  const previousLabel = shift(-1);
  const codes = currencyOrder(input.currency, Object.keys(input.totals));
  const spent = codes.filter((c) => input.totals[c].chargesCount > 0);
  const changed = currencyOrder(input.currency, [...spent, ...Object.keys(input.previousTotals)]).filter(
    (c) => (input.totals[c]?.totalMinor ?? 0) > 0 || (input.previousTotals[c]?.totalMinor ?? 0) > 0,
  );
  return {
    subject: `${input.test ? '[Test] ' : ''}Your subscriptions in ${monthLabel}: ${
      spent.length ? spent.map((c) => formatAmount(input.totals[c].totalMinor, c)).join(' + ') : 'no charges'
    }`,
    greeting: `Hi ${input.username},`,
    intro: `Here is what your subscriptions cost in ${monthLabel}. Dates are in your timezone, ${input.timezone}.`,
    monthLabel,
    previousLabel,
    nextLabel: shift(1),
    totals: spent.map((c) => ({
      currency: c,
      amount: formatAmount(input.totals[c].totalMinor, c),
      count: plural(input.totals[c].chargesCount, 'charge'),
    })),
    changes: changed.map((c) => ({
      currency: c,
      text: changeText(
        input.totals[c]?.totalMinor ?? 0,
        input.previousTotals[c]?.totalMinor,
        c,
        previousLabel,
      ),
    })),
    categories: spent.map((c) => ({
      currency: c,
      rows: Object.entries(input.totals[c].byCategory)
        .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
        .map(([name, minor]) => ({ name, amount: formatAmount(minor, c) })),
    })),
    charges: input.charges.map((charge) => ({
      date: formatShortDate(charge.dueDate),
      name: charge.name,
      category: charge.category ?? 'uncategorized',
      amount: formatAmount(charge.amountMinor, charge.currency),
    })),
    upcoming: input.upcoming.map((charge) => ({
      date: formatShortDate(charge.dueDate),
      name: charge.name,
      amount: formatAmount(charge.amountMinor, charge.currency),
    })),
    unsubscribeUrl: input.unsubscribeUrl,
  };
}

function renderReportText(v: ReportView): string {
  const section = (title: string, lines: string[]) => ['', title, ...lines.map((line) => `  ${line}`)];
  const lines = [v.greeting, '', v.intro];
  if (v.totals.length === 0) {
    lines.push('', `No charges came due in ${v.monthLabel}.`);
  } else {
    lines.push(
      ...section(
        'Total',
        v.totals.map((t) => `${t.amount} (${t.count})`),
      ),
    );
  }
  if (v.changes.length) {
    lines.push(
      ...section(
        `Change from ${v.previousLabel}`,
        v.changes.map((c) => `${c.currency}: ${c.text}`),
      ),
    );
  }
  if (v.categories.length) {
    const rows = v.categories.flatMap((group) =>
      group.rows.map(
        (row) => `${row.name}: ${row.amount}${v.categories.length > 1 ? ` (${group.currency})` : ''}`,
      ),
    );
    lines.push(...section('By category', rows));
  }
  if (v.charges.length) {
    lines.push(
      ...section(
        'Charges',
        v.charges.map((c) => `${c.date}  ${c.name} (${c.category})  ${c.amount}`),
      ),
    );
  }
  lines.push(
    ...(v.upcoming.length
      ? section(
          `Largest charges coming in ${v.nextLabel}`,
          v.upcoming.map((c) => `${c.date}  ${c.name}  ${c.amount}`),
        )
      : ['', `No charges are expected in ${v.nextLabel}.`]),
  );
  lines.push('', 'The SubTracker team', '', `Stop monthly reports: ${v.unsubscribeUrl}`);
  return lines.join('\n');
}

/** The monthly spending report: totals, change, categories, every charge, next month's largest charges. */
export function renderReportEmail(input: ReportEmailInput): RenderedEmail {
  const view = reportView(input);
  return { subject: view.subject, text: renderReportText(view), html: renderReportHtml(view) };
}
