import Mailgun from 'mailgun.js';
import type { Interfaces, APIResponse, RequestProviderData } from 'mailgun.js/definitions';
import { MailError, type Mailer, type MailMessage } from './mailer';

/**
 * Sends through Mailgun with mailgun.js. Its stock transport (a bundled axios) throws away the response
 * headers on errors, so a 429's Retry-After is lost, and it reports network failures and timeouts as
 * status 400. mailgun.js lets the transport be swapped (`client.request.requestProvider`): this file
 * installs a small fetch-based one that keeps the headers and abandons a request after `timeoutMs`
 * (DNS, connect, headers and body included), so every failure maps to a precise MailError.
 */

export interface MailgunMailerOptions {
  apiKey: string;
  domain: string;
  /** API base URL, e.g. https://api.mailgun.net or https://api.eu.mailgun.net. */
  url: string;
  from: string;
  /** Whole-request deadline; a hanging server becomes a transient MailError after it. */
  timeoutMs?: number;
}

/** A Mailer that sends each message with one Mailgun `messages.create` call. */
export function createMailgunMailer({
  apiKey,
  domain,
  url,
  from,
  timeoutMs = 10_000,
}: MailgunMailerOptions): Mailer {
  const client = new Mailgun(FormData).client({ username: 'api', key: apiKey, url, timeout: timeoutMs });
  client.request.requestProvider = createFetchProvider(apiKey, timeoutMs);

  return {
    async send(message: MailMessage) {
      const result = await client.messages.create(domain, toMailgunFields(from, message)).catch((err) => {
        throw asMailError(err);
      });
      if (!result.id) throw new MailError('Mailgun accepted the message without returning an id', false);
      return { id: result.id };
    },
  };
}

function toMailgunFields(from: string, message: MailMessage) {
  const headers = Object.entries(message.headers ?? {}).map(([name, value]) => [`h:${name}`, value]);
  return {
    from,
    to: message.to,
    subject: message.subject,
    text: message.text,
    html: message.html,
    ...Object.fromEntries(headers),
    ...(message.idempotencyKey ? { 'v:idempotency_key': message.idempotencyKey } : {}),
    ...(message.tags?.length ? { 'o:tag': message.tags } : {}),
  };
}

/** mailgun.js transport over Node's fetch; only multipart bodies, which is all `messages.create` sends. */
function createFetchProvider(apiKey: string, timeoutMs: number): Interfaces.IRequestProvider {
  const headers = new Headers({ Authorization: `Basic ${Buffer.from(`api:${apiKey}`).toString('base64')}` });
  return {
    setSubAccountHeader: (id) => headers.set('X-Mailgun-On-Behalf-Of', id),
    resetSubAccountHeader: () => headers.delete('X-Mailgun-On-Behalf-Of'),
    async makeRequest(
      url: string,
      method: string,
      { params, data }: RequestProviderData,
    ): Promise<APIResponse> {
      if (data !== undefined && !(data instanceof FormData))
        throw new Error('Only multipart requests are supported');
      const target = new URL(url);
      params?.forEach((value, key) => target.searchParams.append(key, value));
      let response: Response;
      let text: string;
      try {
        const signal = AbortSignal.timeout(timeoutMs);
        response = await fetch(target, { method, headers, body: data, signal });
        text = await response.text();
      } catch (err) {
        throw networkError(err, timeoutMs);
      }
      const body = parseBody(text);
      if (!response.ok) throw httpError(response, body);
      return { status: response.status, body };
    },
  };
}

function parseBody(text: string): { message?: string; id?: string } {
  try {
    return JSON.parse(text) as { message?: string };
  } catch {
    return { message: text };
  }
}

function httpError(response: Response, body: { message?: string }): MailError {
  const { status } = response;
  const detail = (body.message || response.statusText).slice(0, 300);
  const transient = status === 408 || status === 429 || status >= 500;
  const retryAfter = status === 429 ? parseRetryAfter(response.headers.get('retry-after')) : undefined;
  return new MailError(`Mailgun answered ${status}: ${detail}`, transient, status, retryAfter);
}

/** What mailgun.js throws itself (invalid message data) will not succeed on a retry. */
function asMailError(err: unknown): MailError {
  if (err instanceof MailError) return err;
  const { status, message } = (err ?? {}) as { status?: unknown; message?: string };
  const code = typeof status === 'number' ? status : undefined;
  return new MailError(`Mailgun client error: ${message ?? String(err)}`, false, code);
}

/** Timeouts, refused or reset connections and DNS failures are all worth retrying. */
function networkError(err: unknown, timeoutMs: number): MailError {
  // Duck-typed: fetch's errors come from another realm under Jest, where `instanceof Error` fails.
  const { name, message, cause } = (err ?? {}) as {
    name?: string;
    message?: string;
    cause?: { code?: string };
  };
  if (name === 'TimeoutError') return new MailError(`Mailgun did not answer within ${timeoutMs} ms`, true);
  return new MailError(`Mailgun request failed: ${cause?.code ?? message ?? String(err)}`, true);
}

/** Retry-After is either delay-seconds or an HTTP-date (RFC 9110 §10.2.3). */
function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}
