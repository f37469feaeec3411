import type { ChannelEndpoints } from './channel-settings';
import type { ChannelEventPayload } from './channel-event';
import { httpPost } from './http-post';
import { providerMessageId, providerRequest, type DeliverableChannel } from './provider-requests';
import { UnsafeUrlError } from './url-guard';

/** What one attempt came to: delivered, worth retrying (after `retryAfterMs` when the provider said), or not. */
export type ChannelAttempt =
  | { kind: 'sent'; status: number; body: string; providerMessageId?: string }
  | { kind: 'retry'; status?: number; body?: string; error: string; retryAfterMs?: number }
  | { kind: 'permanent'; status?: number; body?: string; error: string };

/** Sends one event to one channel; never throws. */
export type ChannelSender = (
  channel: DeliverableChannel,
  event: ChannelEventPayload,
  nowMs: number,
) => Promise<ChannelAttempt>;

/** Provider bodies kept in the delivery log (and read from the socket) at most. */
export const RESPONSE_BODY_CAP = 2048;

export function createChannelSender(
  endpoints: ChannelEndpoints,
  options: { timeoutMs: number } = { timeoutMs: 10_000 },
): ChannelSender {
  return async (channel, event, nowMs) => {
    const request = providerRequest(channel, event, endpoints, nowMs);
    try {
      const answer = await httpPost(request.url, {
        headers: request.headers,
        body: request.body,
        timeoutMs: options.timeoutMs,
        maxBytes: RESPONSE_BODY_CAP,
        allowPrivate: endpoints.allowPrivate,
      });
      return classifyAnswer(channel.type, answer.status, answer.body, answer.headers['retry-after'], nowMs);
    } catch (err) {
      const message = (err as Error).message;
      // Never the URL: Discord, Slack and Telegram URLs carry the channel's token.
      if (err instanceof UnsafeUrlError) return { kind: 'permanent', error: message };
      return {
        kind: 'retry',
        error: `${(err as NodeJS.ErrnoException).code ?? 'network error'}: ${message}`,
      };
    }
  };
}

/**
 * 2xx sent; 429 retried after Retry-After (seconds or an HTTP date; Telegram also says it in the body); 408,
 * 425 and 5xx retried with backoff; any other status (401, 403, 404, 410, ...) a permanent failure.
 */
export function classifyAnswer(
  type: DeliverableChannel['type'],
  status: number,
  body: string,
  retryAfter: string | undefined,
  nowMs: number,
): ChannelAttempt {
  if (status >= 200 && status < 300)
    return { kind: 'sent', status, body, providerMessageId: providerMessageId(type, body) };
  const error = `HTTP ${status}`;
  if (status === 429)
    return { kind: 'retry', status, body, error, retryAfterMs: retryAfterMs(retryAfter, body, nowMs) };
  if (status === 408 || status === 425 || status >= 500) return { kind: 'retry', status, body, error };
  return { kind: 'permanent', status, body, error };
}

function retryAfterMs(header: string | undefined, body: string, nowMs: number): number | undefined {
  if (header !== undefined) {
    if (/^\d+$/.test(header.trim())) return Number(header) * 1000;
    const at = Date.parse(header);
    if (!Number.isNaN(at)) return Math.max(0, at - nowMs);
  }
  try {
    const seconds = (JSON.parse(body) as { parameters?: { retry_after?: unknown } }).parameters?.retry_after;
    if (typeof seconds === 'number') return seconds * 1000;
  } catch {
    // not JSON: no hint
  }
  return undefined;
}
