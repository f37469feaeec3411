import { renderReminderEmail, renderReportEmail, renderWelcomeEmail } from '../../../src/mail/templates';
import type { ReportEmailInput } from '../../../src/mail/templates';

/** Snapshots of every email SubTracker renders, for one fixed user and fixed data: a change shows in review. */
const username = 'Ann <Admin> & Co';

function charge(
  name: string,
  category: string | null,
  dueDate: string,
  amountMinor: number,
  currency = 'USD',
) {
  return { name, category, dueDate, amountMinor, currency };
}

const report: ReportEmailInput = {
  username,
  month: '2026-11',
  timezone: 'America/Los_Angeles',
  currency: 'USD',
  totals: {
    USD: {
      totalMinor: 12_497,
      byCategory: { video: 6_396, fitness: 4_900, uncategorized: 1_201 },
      chargesCount: 6,
    },
    EUR: { totalMinor: 11_900, byCategory: { insurance: 11_900 }, chargesCount: 1 },
  },
  previousTotals: { USD: { totalMinor: 10_998 }, GBP: { totalMinor: 500 } },
  charges: [
    charge('Netflix', 'video', '2026-11-01', 1_599),
    charge('Cloud <backup>', null, '2026-11-03', 1_201),
    charge('Streaming weekly', 'video', '2026-11-06', 1_599),
    charge('Streaming weekly', 'video', '2026-11-13', 1_599),
    charge('Gym', 'fitness', '2026-11-15', 4_900),
    charge('Streaming weekly', 'video', '2026-11-20', 1_599),
    charge('Home insurance', 'insurance', '2026-11-30', 11_900, 'EUR'),
  ],
  upcoming: [
    { name: 'Domain renewal', category: 'web', dueDate: '2026-12-09', amountMinor: 123_450, currency: 'USD' },
    { name: 'Gym', category: 'fitness', dueDate: '2026-12-15', amountMinor: 4_900, currency: 'USD' },
  ],
  unsubscribeUrl: 'https://subtracker.test/unsubscribe?token=abc&x=1',
};

describe('rendered emails', () => {
  it('welcome: the verification link, and no username (the address is not confirmed yet)', () => {
    const email = renderWelcomeEmail({
      verifyUrl: 'https://subtracker.test/verify-email?token=abc&x=1',
      appBaseUrl: 'https://subtracker.test',
    });
    expect(email.subject).toMatchSnapshot('subject');
    expect(email.text).toMatchSnapshot('text');
    expect(email.html).toMatchSnapshot('html');
  });

  it('reminder: amount, due date in the owner zone, manage and unsubscribe links', () => {
    const email = renderReminderEmail({
      username,
      subscriptionName: 'Netflix <4K>',
      priceMinor: 1_599,
      currency: 'USD',
      dueDate: '2026-12-04',
      timezone: 'Europe/Berlin',
      daysLeft: 3,
      manageUrl: 'https://subtracker.test/subscriptions/7',
      unsubscribeUrl: 'https://subtracker.test/unsubscribe?token=abc&x=1',
    });
    expect(email.subject).toMatchSnapshot('subject');
    expect(email.text).toMatchSnapshot('text');
    expect(email.html).toMatchSnapshot('html');
  });

  it('report: totals per currency, change, categories, each charge, next month, unsubscribe link', () => {
    const email = renderReportEmail(report);
    expect(email.subject).toMatchSnapshot('subject');
    expect(email.text).toMatchSnapshot('text');
    expect(email.html).toMatchSnapshot('html');
  });

  it('report: a test send with no charges says so plainly', () => {
    const email = renderReportEmail({
      ...report,
      test: true,
      totals: {},
      previousTotals: {},
      charges: [],
      upcoming: [],
    });
    expect(email.subject).toMatchSnapshot('subject');
    expect(email.text).toMatchSnapshot('text');
    expect(email.html).toMatchSnapshot('html');
  });

  it('report: amounts in their currency, dates as calendar dates, HTML escaped, no placeholders', () => {
    const { text, html } = renderReportEmail(report);
    expect(text).toContain('$124.97 (6 charges)');
    expect(text).toContain('€119.00 (1 charge)');
    expect(text).toContain('USD: +$14.99 ($109.98 in October 2026)');
    expect(text).toContain('GBP: nothing this month (£5.00 in October 2026)');
    expect(text).toContain('EUR: new this month (nothing in October 2026)');
    expect(text).toContain('Sun, 1 Nov 2026  Netflix (video)  $15.99');
    expect(text).toContain('Wed, 9 Dec 2026  Domain renewal  $1,234.50');
    expect(html).toContain('Cloud &lt;backup&gt;');
    expect(html).toContain('Ann &lt;Admin&gt; &amp; Co');
    expect(html).not.toContain('<backup>');
    expect(html).toContain('href="https://subtracker.test/unsubscribe?token=abc&amp;x=1"');
    for (const body of [text, html]) expect(body).not.toMatch(/undefined|NaN|\{\{|TODO|lorem/i);
  });
});
