/** One interface for every way SubTracker sends email: Mailgun, the outbox, or a test double. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Extra headers, e.g. List-Unsubscribe. */
  headers?: Record<string, string>;
  /** Business idempotency key (e.g. `welcome:42`); sent as a custom variable and kept in logs. */
  idempotencyKey?: string;
  /** Tags for the provider's analytics. */
  tags?: string[];
}

export interface SentMail {
  /** The provider's message id (the outbox file name for the outbox). */
  id: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<SentMail>;
}

/**
 * Why a send failed. `transient` errors (network, timeout, 429, 5xx) are retried; `permanent` ones
 * (other 4xx) are not. `retryAfterSeconds` comes from a 429's Retry-After.
 */
export class MailError extends Error {
  constructor(
    message: string,
    public readonly transient: boolean,
    public readonly status?: number,
    public readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'MailError';
  }
}
