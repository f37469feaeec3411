import { escapeHtml } from './html';
import type { RenderedEmail } from './rendered-email';

/**
 * No username: the welcome goes to an address nobody has confirmed, so it carries no text the registrant
 * chose (anyone could otherwise send their own words, from our domain, to any address).
 */
export interface WelcomeEmailInput {
  /** Link that confirms the address; reminders and reports only go to confirmed addresses. */
  verifyUrl: string;
  appBaseUrl: string;
}

/** The email a new user gets after registering: what SubTracker does, and the confirmation link. */
export function renderWelcomeEmail({ verifyUrl, appBaseUrl }: WelcomeEmailInput): RenderedEmail {
  const subject = 'Welcome to SubTracker - please confirm your email address';
  const text = [
    'Hello,',
    '',
    'Welcome to SubTracker. Add each of your subscriptions with its price and billing cycle, and SubTracker',
    'will email you before every payment, in your timezone, and send you a spending summary each month.',
    '',
    'Please confirm your email address so those reminders can reach you:',
    verifyUrl,
    '',
    'Reminders and monthly reports are only sent to confirmed addresses.',
    'If you did not create a SubTracker account, ignore this email: nothing more will be sent to you.',
    '',
    'The SubTracker team',
    appBaseUrl,
  ].join('\n');

  const verify = escapeHtml(verifyUrl);
  const base = escapeHtml(appBaseUrl);
  const html = `<!doctype html>
<html lang="en">
  <body style="margin:0;padding:24px;background:#f4f5f7;font-family:Helvetica,Arial,sans-serif;color:#1f2933">
    <div style="max-width:560px;margin:0 auto;background:#ffffff;border-radius:8px;padding:32px">
      <h1 style="font-size:22px;margin:0 0 16px">Welcome to SubTracker</h1>
      <p>Add each of your subscriptions with its price and billing cycle, and SubTracker will email you before
        every payment, in your timezone, and send you a spending summary each month.</p>
      <p>Please confirm your email address so those reminders can reach you:</p>
      <p style="margin:24px 0">
        <a href="${verify}" style="background:#2563eb;color:#ffffff;padding:12px 20px;border-radius:6px;text-decoration:none">Confirm my email address</a>
      </p>
      <p style="font-size:13px;color:#52606d">If the button does not work, open this link:<br><a href="${verify}">${verify}</a></p>
      <p style="font-size:13px;color:#52606d">Reminders and monthly reports are only sent to confirmed addresses.
        If you did not create a SubTracker account, ignore this email: nothing more will be sent to you.</p>
      <p style="font-size:13px;color:#52606d">The SubTracker team &middot; <a href="${base}">${base}</a></p>
    </div>
  </body>
</html>
`;
  return { subject, text, html };
}
