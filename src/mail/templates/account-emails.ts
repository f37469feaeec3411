import { escapeHtml } from './html';
import type { RenderedEmail } from './rendered-email';

/**
 * A short transactional email: a greeting, one sentence, one button, a fallback link and a note. These go
 * to addresses nobody has confirmed yet, so they carry no text the registrant chose (the username): anyone
 * could otherwise send their own words, from our domain, to any address.
 */
function render(opts: { subject: string; lead: string; action: string; url: string; note: string }) {
  const { subject, lead, action, url, note } = opts;
  const text = ['Hello,', '', lead, url, '', note, '', 'The SubTracker team'].join('\n');
  const link = escapeHtml(url);
  const html = `<!doctype html>
<html lang="en">
  <body style="margin:0;padding:24px;background:#f4f5f7;font-family:Helvetica,Arial,sans-serif;color:#1f2933">
    <div style="max-width:560px;margin:0 auto;background:#ffffff;border-radius:8px;padding:32px">
      <p>Hello,</p>
      <p>${escapeHtml(lead)}</p>
      <p style="margin:24px 0">
        <a href="${link}" style="background:#2563eb;color:#ffffff;padding:12px 20px;border-radius:6px;text-decoration:none">${escapeHtml(action)}</a>
      </p>
      <p style="font-size:13px;color:#52606d">If the button does not work, open this link:<br><a href="${link}">${link}</a></p>
      <p style="font-size:13px;color:#52606d">${escapeHtml(note)}</p>
      <p style="font-size:13px;color:#52606d">The SubTracker team</p>
    </div>
  </body>
</html>
`;
  return { subject, text, html } satisfies RenderedEmail;
}

/** Sent when the user asks for the confirmation link again. */
export function renderVerificationEmail(input: { verifyUrl: string }): RenderedEmail {
  return render({
    subject: 'Confirm your email address for SubTracker',
    lead: 'Please confirm your email address so payment reminders and monthly reports can reach you:',
    action: 'Confirm my email address',
    url: input.verifyUrl,
    note: 'If you did not ask for this, ignore this email.',
  });
}

/** Sent on a password-reset request; the link works once, for one hour. */
export function renderPasswordResetEmail(input: { resetUrl: string }): RenderedEmail {
  return render({
    subject: 'Reset your SubTracker password',
    lead: 'Someone asked to reset the password of your SubTracker account. To choose a new one, open:',
    action: 'Choose a new password',
    url: input.resetUrl,
    note:
      'The link works once and expires in one hour. Resetting signs out every device. If you did not ask ' +
      'for this, ignore this email: your password stays as it is.',
  });
}
