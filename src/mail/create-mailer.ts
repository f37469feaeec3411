import type { Config } from '../config';
import { createMailgunMailer } from './mailgun-mailer';
import type { Mailer } from './mailer';
import { createOutboxMailer, type OutboxLogger } from './outbox-mailer';

/** Mailgun when an API key is configured, otherwise the file outbox. */
export function createMailer(mail: Omit<Config['mail'], 'concurrency'>, logger?: OutboxLogger): Mailer {
  if (mail.apiKey) {
    return createMailgunMailer({ apiKey: mail.apiKey, domain: mail.domain, url: mail.url, from: mail.from });
  }
  return createOutboxMailer({ dir: mail.outboxDir, from: mail.from, logger });
}
