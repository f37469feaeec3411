/**
 * The page the password-reset email links to (GET /password/reset?token=): a form that posts the token and a
 * new password back to POST /password/reset as a form, and the page that answers it. Plain HTML, no script,
 * so helmet's strict policy applies unchanged.
 */
import { escapeHtml } from '../../mail/templates/html';

const MIN_LENGTH = 8;
const MAX_LENGTH = 128;

function page(title: string, body: string): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)} · SubTracker</title></head>`,
    `<body><main><h1>${escapeHtml(title)}</h1>${body}</main></body>`,
    '</html>',
  ].join('\n');
}

/** The form; the token travels in a hidden field, never in a script. */
export function passwordResetForm(token: string): string {
  return page(
    'Choose a new password',
    [
      '<form method="post" action="/password/reset">',
      `<input type="hidden" name="token" value="${escapeHtml(token)}">`,
      '<label for="new_password">New password</label>',
      `<input id="new_password" name="new_password" type="password" autocomplete="new-password" required minlength="${MIN_LENGTH}" maxlength="${MAX_LENGTH}">`,
      '<button type="submit">Set the new password</button>',
      '</form>',
      `<p>At least ${MIN_LENGTH} characters. Every signed-in device is signed out once it is set.</p>`,
    ].join('\n'),
  );
}

/** What the form's submission led to. */
export function passwordResetOutcome(title: string, message: string): string {
  return page(title, `<p>${escapeHtml(message)}</p>`);
}
