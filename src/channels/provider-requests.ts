import { Webhook } from 'standardwebhooks';
import type { ChannelType } from '../db/models';
import type { ChannelEndpoints } from './channel-settings';
import { eventText, eventTitle, type ChannelEventPayload } from './channel-event';

/** An HTTP request to a provider, built without I/O. `url` may carry a token: never log it. */
export interface ProviderRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** A channel as delivery needs it: type, public settings, opened secrets. */
export interface DeliverableChannel {
  id: number;
  type: ChannelType;
  settings: Record<string, string>;
  secrets: Record<string, string>;
}

const JSON_TYPE = { 'content-type': 'application/json' };

/**
 * The request each service documents: a Standard Webhooks signed POST (webhook), ntfy's publish-as-JSON, Discord's
 * execute-webhook (`wait=true` answers the message), Slack's incoming webhook, Telegram's sendMessage.
 * `nowMs` is the attempt's time (webhook-timestamp).
 */
export function providerRequest(
  channel: DeliverableChannel,
  event: ChannelEventPayload,
  endpoints: Pick<ChannelEndpoints, 'telegramApiUrl'>,
  nowMs: number,
): ProviderRequest {
  const text = eventText(event);
  switch (channel.type) {
    case 'webhook': {
      const body = JSON.stringify(event);
      const signature = signingSecrets(channel.secrets, nowMs)
        .map((secret) => new Webhook(secret).sign(event.id, new Date(nowMs), body))
        .join(' ');
      return {
        url: channel.settings.url,
        headers: {
          ...JSON_TYPE,
          'webhook-id': event.id,
          'webhook-timestamp': String(Math.floor(nowMs / 1000)),
          'webhook-signature': signature,
        },
        body,
      };
    }
    case 'ntfy':
      return {
        url: channel.settings.server.replace(/\/+$/, '') + '/',
        headers: {
          ...JSON_TYPE,
          ...(channel.secrets.token ? { authorization: `Bearer ${channel.secrets.token}` } : {}),
        },
        body: JSON.stringify({
          topic: channel.settings.topic,
          title: eventTitle(event),
          message: text,
          tags: ['moneybag'],
        }),
      };
    case 'discord': {
      const url = new URL(channel.secrets.webhook_url);
      url.searchParams.set('wait', 'true');
      return {
        url: url.toString(),
        headers: JSON_TYPE,
        body: JSON.stringify({ content: text, allowed_mentions: { parse: [] } }),
      };
    }
    case 'slack':
      return { url: channel.secrets.webhook_url, headers: JSON_TYPE, body: JSON.stringify({ text }) };
    case 'telegram':
      return {
        url: `${endpoints.telegramApiUrl.replace(/\/+$/, '')}/bot${channel.secrets.bot_token}/sendMessage`,
        headers: JSON_TYPE,
        body: JSON.stringify({
          chat_id: channel.settings.chat_id,
          text,
          disable_web_page_preview: true,
        }),
      };
  }
}

/**
 * The secrets a webhook delivery at `nowMs` is signed with: the current one, and during the overlap after a
 * rotation the previous one too (Standard Webhooks sends several signatures space-separated; a receiver accepts
 * the delivery when one of them verifies).
 */
export function signingSecrets(secrets: Record<string, string>, nowMs: number): string[] {
  const { secret, previous_secret: previous, previous_until: until } = secrets;
  return previous && nowMs < Number(until) ? [secret, previous] : [secret];
}

/** The provider's id for what it accepted, when its answer names one (ntfy, Discord, Telegram). */
export function providerMessageId(type: ChannelType, body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { id?: unknown; result?: { message_id?: unknown } };
    const id = type === 'telegram' ? parsed.result?.message_id : parsed.id;
    return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
  } catch {
    return undefined;
  }
}
