import { formatAmount } from './format';
import { escapeHtml } from './html';
import type { RenderedEmail } from './rendered-email';

export interface ReminderEmailInput {
  username: string;
  subscriptionName: string;
  priceMinor: number;
  currency: string;
  /** 'YYYY-MM-DD' in the owner's zone. */
  dueDate: string;
  /** The owner's IANA zone, named next to the date. */
  timezone: string;
  /** Whole days from the owner's today to the due date (0 = today). */
  daysLeft: number;
  manageUrl: string;
  unsubscribeUrl: string;
  /** A developer test send (POST /reminders/send-test): says so in the subject. */
  test?: boolean;
}

/** "Friday, 4 December 2026": the due date is a calendar date in the owner's zone, so format it as one (UTC noon). */
export function formatDueDate(dueDate: string): string {
  return new Intl.DateTimeFormat('en-GB', { dateStyle: 'full', timeZone: 'UTC' }).format(
    new Date(`${dueDate}T12:00:00Z`),
  );
}

function whenText(daysLeft: number): string {
  if (daysLeft <= 0) return 'today';
  if (daysLeft === 1) return 'tomorrow';
  return `in ${daysLeft} days`;
}

/** The payment reminder: what is due, how much, when (in the owner's zone), and links to manage or unsubscribe. */
export function renderReminderEmail(input: ReminderEmailInput): RenderedEmail {
  const price = formatAmount(input.priceMinor, input.currency);
  const date = formatDueDate(input.dueDate);
  const when = whenText(input.daysLeft);
  const subject = `${input.test ? '[Test] ' : ''}${input.subscriptionName}: ${price} due ${when}`;
  const text = [
    `Hi ${input.username},`,
    '',
    `Your payment for ${input.subscriptionName} is due ${when}.`,
    '',
    `  Amount:   ${price}`,
    `  Due date: ${date} (${input.timezone})`,
    '',
    'Manage this subscription:',
    input.manageUrl,
    '',
    'The SubTracker team',
    '',
    `Stop payment reminders: ${input.unsubscribeUrl}`,
  ].join('\n');

  const e = {
    username: escapeHtml(input.username),
    name: escapeHtml(input.subscriptionName),
    price: escapeHtml(price),
    date: escapeHtml(`${date} (${input.timezone})`),
    manage: escapeHtml(input.manageUrl),
    unsubscribe: escapeHtml(input.unsubscribeUrl),
  };
  const html = `<!doctype html>
<html lang="en">
  <body style="margin:0;padding:24px;background:#f4f5f7;font-family:Helvetica,Arial,sans-serif;color:#1f2933">
    <div style="max-width:560px;margin:0 auto;background:#ffffff;border-radius:8px;padding:32px">
      <h1 style="font-size:22px;margin:0 0 16px">${e.name} is due ${when}</h1>
      <p>Hi ${e.username}, your payment for <strong>${e.name}</strong> is due ${when}.</p>
      <table style="margin:16px 0;border-collapse:collapse">
        <tr><td style="padding:4px 16px 4px 0;color:#52606d">Amount</td><td><strong>${e.price}</strong></td></tr>
        <tr><td style="padding:4px 16px 4px 0;color:#52606d">Due date</td><td>${e.date}</td></tr>
      </table>
      <p style="margin:24px 0">
        <a href="${e.manage}" style="background:#2563eb;color:#ffffff;padding:12px 20px;border-radius:6px;text-decoration:none">Manage this subscription</a>
      </p>
      <p style="font-size:13px;color:#52606d">The SubTracker team</p>
      <p style="font-size:12px;color:#7b8794"><a href="${e.unsubscribe}">Stop payment reminders</a></p>
    </div>
  </body>
</html>
`;
  return { subject, text, html };
}
