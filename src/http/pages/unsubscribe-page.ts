/**
 * The page an unsubscribe link opens (GET /unsubscribe?token=): it names what would stop and asks for one
 * click, a form that posts to the same URL as RFC 8058's one-click POST does. A link scanner that follows
 * the GET therefore changes nothing. Plain HTML, no script, so helmet's strict policy applies unchanged.
 */
import { escapeHtml } from '../../mail/templates/html';

export type UnsubscribeWhat = 'reminders' | 'reports';

const LIST_NAME: Record<UnsubscribeWhat, string> = {
  reminders: 'payment reminders',
  reports: 'monthly spending reports',
};

function page(title: string, body: string): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="robots" content="noindex">',
    `<title>${escapeHtml(title)} · SubTracker</title></head>`,
    `<body><main><h1>${escapeHtml(title)}</h1>${body}</main></body>`,
    '</html>',
  ].join('\n');
}

/** The confirmation: one button posting `List-Unsubscribe=One-Click` to the link's own URL. */
export function unsubscribeConfirmPage(token: string, what: UnsubscribeWhat): string {
  const action = `/unsubscribe?token=${encodeURIComponent(token)}`;
  return page(
    `Stop ${LIST_NAME[what]}?`,
    [
      `<p>You will no longer receive ${LIST_NAME[what]} by email. You can turn them on again in your settings.</p>`,
      `<form method="post" action="${escapeHtml(action)}">`,
      '<input type="hidden" name="List-Unsubscribe" value="One-Click">',
      `<button type="submit">Unsubscribe from ${LIST_NAME[what]}</button>`,
      '</form>',
    ].join('\n'),
  );
}

/** What the click (or a link that could not be used) led to. */
export function unsubscribeOutcome(title: string, message: string): string {
  return page(title, `<p>${escapeHtml(message)}</p>`);
}
