import type { BillingCycle } from '../../time';
import { formatAmount } from './format';
import { escapeHtml } from './html';
import { formatDueDate } from './reminder-email';
import type { RenderedEmail } from './rendered-email';

export interface TrialEndEmailInput {
  username: string;
  subscriptionName: string;
  /** The price charged each cycle once the trial ends, in minor units. */
  priceMinor: number;
  currency: string;
  billingCycle: BillingCycle;
  billingInterval: number;
  /** 'YYYY-MM-DD' the trial ends and the first charge falls on, in the owner's zone. */
  trialEndsOn: string;
  timezone: string;
  manageUrl: string;
  unsubscribeUrl: string;
}

const UNITS: Record<BillingCycle, string> = {
  daily: 'day',
  weekly: 'week',
  monthly: 'month',
  yearly: 'year',
};

/** "per month", "every 3 months". */
export function perCycle(cycle: BillingCycle, interval: number): string {
  return interval === 1 ? `per ${UNITS[cycle]}` : `every ${interval} ${UNITS[cycle]}s`;
}

/** The trial-end reminder: the trial of X ends on D and then costs P per cycle, unless cancelled before. */
export function renderTrialEndEmail(input: TrialEndEmailInput): RenderedEmail {
  const price = formatAmount(input.priceMinor, input.currency);
  const date = `${formatDueDate(input.trialEndsOn)} (${input.timezone})`;
  const cost = `${price} ${perCycle(input.billingCycle, input.billingInterval)}`;
  const subject = `${input.subscriptionName}: your free trial ends on ${formatDueDate(input.trialEndsOn)}`;
  const sentence = `Your free trial of ${input.subscriptionName} ends on ${date} and then costs ${cost}.`;
  const text = [
    `Hi ${input.username},`,
    '',
    sentence,
    'Cancel before then if you do not want to keep it.',
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
    sentence: escapeHtml(sentence),
    name: escapeHtml(input.subscriptionName),
    manage: escapeHtml(input.manageUrl),
    unsubscribe: escapeHtml(input.unsubscribeUrl),
  };
  const html = `<!doctype html>
<html lang="en">
  <body style="margin:0;padding:24px;background:#f4f5f7;font-family:Helvetica,Arial,sans-serif;color:#1f2933">
    <div style="max-width:560px;margin:0 auto;background:#ffffff;border-radius:8px;padding:32px">
      <h1 style="font-size:22px;margin:0 0 16px">Your free trial of ${e.name} is ending</h1>
      <p>Hi ${e.username},</p>
      <p>${e.sentence} Cancel before then if you do not want to keep it.</p>
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

export type CancelByEmailInput = Omit<TrialEndEmailInput, 'trialEndsOn'> & {
  /** 'YYYY-MM-DD' by which the owner must cancel, in the owner's zone. */
  cancelBy: string;
};

/** The cancel-by reminder: cancel X by D to avoid the next term at P per cycle. */
export function renderCancelByEmail(input: CancelByEmailInput): RenderedEmail {
  const price = formatAmount(input.priceMinor, input.currency);
  const date = `${formatDueDate(input.cancelBy)} (${input.timezone})`;
  const cost = `${price} ${perCycle(input.billingCycle, input.billingInterval)}`;
  const subject = `${input.subscriptionName}: cancel by ${formatDueDate(input.cancelBy)} to avoid the next term`;
  const sentence = `To avoid the next term of ${input.subscriptionName} (${cost}), cancel it by ${date}.`;
  return renderNotice(input, subject, sentence, `Cancel ${input.subscriptionName} in time`);
}

/** A short notice email: one sentence, the manage and unsubscribe links. */
function renderNotice(
  input: Pick<TrialEndEmailInput, 'username' | 'manageUrl' | 'unsubscribeUrl'>,
  subject: string,
  sentence: string,
  heading: string,
): RenderedEmail {
  const text = [
    `Hi ${input.username},`,
    '',
    sentence,
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
    sentence: escapeHtml(sentence),
    heading: escapeHtml(heading),
    manage: escapeHtml(input.manageUrl),
    unsubscribe: escapeHtml(input.unsubscribeUrl),
  };
  const html = `<!doctype html>
<html lang="en">
  <body style="margin:0;padding:24px;background:#f4f5f7;font-family:Helvetica,Arial,sans-serif;color:#1f2933">
    <div style="max-width:560px;margin:0 auto;background:#ffffff;border-radius:8px;padding:32px">
      <h1 style="font-size:22px;margin:0 0 16px">${e.heading}</h1>
      <p>Hi ${e.username},</p>
      <p>${e.sentence}</p>
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
