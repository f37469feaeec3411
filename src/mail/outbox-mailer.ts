import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Mailer, MailMessage } from './mailer';

/** The part of a pino logger the outbox needs. */
export interface OutboxLogger {
  info(fields: object, message: string): void;
}

export interface OutboxMailerOptions {
  /** Directory for the message files; created when missing. */
  dir: string;
  from: string;
  logger?: OutboxLogger;
}

/** What one outbox file holds (snake_case, like the rest of what SubTracker writes for people to read). */
export interface OutboxFile {
  to: string;
  from: string;
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
  idempotency_key: string | null;
  tags: string[];
  created_at: string;
}

/** A Mailer for development: one JSON file per message under `dir`, and a log line, instead of sending. */
export function createOutboxMailer({ dir, from, logger }: OutboxMailerOptions): Mailer {
  return {
    async send(message: MailMessage) {
      const createdAt = new Date().toISOString();
      const id = `${createdAt.replace(/:/g, '-')}-${crypto.randomBytes(4).toString('hex')}`;
      const file = path.join(dir, `${id}.json`);
      const content: OutboxFile = {
        to: message.to,
        from,
        subject: message.subject,
        text: message.text,
        html: message.html,
        headers: message.headers ?? {},
        idempotency_key: message.idempotencyKey ?? null,
        tags: message.tags ?? [],
        created_at: createdAt,
      };
      await fs.mkdir(dir, { recursive: true });
      // Written aside then renamed, so a reader watching the folder never sees half a file.
      const tmp = path.join(dir, `.${id}.tmp`);
      await fs.writeFile(tmp, `${JSON.stringify(content, null, 2)}\n`);
      await fs.rename(tmp, file);
      logger?.info({ to: message.to, subject: message.subject, file }, 'mail written to outbox');
      return { id };
    },
  };
}
