/** The steps of one user's report, shared by the per-user workflow's activities and the batch delivery. */
import type { MailMessage } from '../src/mail/mailer';
import { renderReportEmail } from '../src/mail/templates/report-email';
import { reportKeyOf, type ReportSkipReason, type UserReportInput } from '../src/temporal/contract';
import { monthEndInstant, nextMonth, previousMonth } from '../src/time';
import type { ReportCharge, ReportSpending, ReportStore, ReportTotals } from './ports';

/** What the report's steps read: the users and their rows, the ledger and stats, the unsubscribe link. */
export interface ReportStepDeps {
  reports: ReportStore;
  spending: ReportSpending;
  links: { reportsUnsubscribe(userId: number): string };
}

/** How many of next month's charges the report lists. */
export const UPCOMING_IN_REPORT = 5;

/** Whether the report is due at all, and from when (the month's end in the user's zone, at their hour). */
export type ReportCheck = { kind: 'skip'; reason: ReportSkipReason } | { kind: 'due'; instantMs: number };

/** The email to send, or (no charges) only the totals to record, or nobody to send it to. */
export type ReportComposition =
  | { kind: 'send'; message: MailMessage; totals: ReportTotals }
  | { kind: 'empty'; totals: ReportTotals }
  | { kind: 'skip'; reason: ReportSkipReason };

/** The summary's totals without what the report does not state (monthly equivalents). */
function totalsOf(summary: Pick<ReportTotals, 'currency' | 'byCurrency'>): ReportTotals {
  const byCurrency: ReportTotals['byCurrency'] = {};
  for (const [code, { totalMinor, byCategory, chargesCount }] of Object.entries(summary.byCurrency)) {
    byCurrency[code] = { totalMinor, byCategory: { ...byCategory }, chargesCount };
  }
  return { currency: summary.currency, byCurrency };
}

/** Largest first; equal amounts by date. Amounts of different currencies are only ordered, never added. */
function largest(charges: ReportCharge[], count: number): ReportCharge[] {
  return [...charges]
    .sort((a, b) => b.amountMinor - a.amountMinor || a.dueDate.localeCompare(b.dueDate))
    .slice(0, count);
}

/**
 * Check, advance, compose: the rules of one user's report, as plain functions. The per-user workflow runs each
 * as an activity; the batch delivery calls them in turn for each of its users.
 */
export function createReportSteps(deps: ReportStepDeps) {
  return {
    /** Re-validates the user and says when the month has ended for them; a test send is due at once. */
    async checkReport(input: UserReportInput): Promise<ReportCheck> {
      const user = await deps.reports.findUser(input.userId);
      if (!user) return { kind: 'skip', reason: 'deleted' };
      if (!user.emailVerified) return { kind: 'skip', reason: 'unverified' };
      if (input.test) return { kind: 'due', instantMs: 0 };
      if (!user.monthlyReport) return { kind: 'skip', reason: 'disabled' };
      const status = await deps.reports.findReport(input.userId, input.month);
      if (status && status !== 'failed') return { kind: 'skip', reason: 'already_recorded' };
      return { kind: 'due', instantMs: monthEndInstant(input.month, user.timezone, user.reminderHour) };
    },

    /** Writes the charges that came due by `nowMs` (workflow time) to the ledger, before the totals are read. */
    async advanceReportPayments(input: { userId: number; nowMs: number }): Promise<number> {
      return deps.spending.advanceUser(input.userId, input.nowMs);
    },

    /** Computes the month with the stats service and renders the email (unless there were no charges). */
    async composeReport(input: UserReportInput & { nowMs: number }): Promise<ReportComposition> {
      const { userId, month, nowMs } = input;
      const user = await deps.reports.findUser(userId);
      if (!user) return { kind: 'skip', reason: 'deleted' };
      const totals = totalsOf(await deps.spending.summary(userId, month));
      const charged = Object.values(totals.byCurrency).some((t) => t.chargesCount > 0);
      if (!charged && !input.test) return { kind: 'empty', totals };
      const [previous, charges, upcoming] = await Promise.all([
        deps.spending.summary(userId, previousMonth(month)),
        deps.reports.chargesOf(userId, month, nowMs),
        deps.reports.chargesOf(userId, nextMonth(month), nowMs),
      ]);
      const unsubscribe = deps.links.reportsUnsubscribe(userId);
      const email = renderReportEmail({
        username: user.username,
        month,
        timezone: user.timezone,
        currency: user.currency,
        totals: totals.byCurrency,
        previousTotals: previous.byCurrency,
        charges,
        upcoming: largest(upcoming, UPCOMING_IN_REPORT),
        unsubscribeUrl: unsubscribe,
        test: input.test,
      });
      const message: MailMessage = {
        to: user.email,
        ...email,
        headers: {
          'List-Unsubscribe': `<${unsubscribe}>`,
          'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
        },
        idempotencyKey: input.test ? `report-test:${userId}:${month}:${nowMs}` : reportKeyOf(userId, month),
        tags: [input.test ? 'report-test' : 'report'],
      };
      return { kind: 'send', message, totals };
    },
  };
}
