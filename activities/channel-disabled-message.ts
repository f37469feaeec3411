import type { MailMessage } from '../src/mail/mailer';
import { escapeHtml } from '../src/mail/templates/html';
import type { StoredChannel } from './ports';

/** The email telling an owner that delivery switched one of their channels off. */
export function channelDisabledMessage(
  owner: { email: string; username: string },
  channel: Pick<StoredChannel, 'id' | 'type'>,
  lastError: string,
): MailMessage {
  const text =
    `Hi ${owner.username},\n\nYour ${channel.type} notification channel (#${channel.id}) failed several ` +
    `deliveries in a row (last error: ${lastError}), so SubTracker switched it off. Fix its settings and ` +
    `enable it again with PATCH /users/me/channels/${channel.id} {"enabled": true}.\n`;
  return {
    to: owner.email,
    subject: `Your ${channel.type} notification channel was disabled`,
    text,
    html: `<p>${escapeHtml(text).replace(/\n\n/g, '</p><p>')}</p>`,
    idempotencyKey: `channel-disabled:${channel.id}`,
  };
}
