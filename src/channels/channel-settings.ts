import crypto from 'node:crypto';
import type { ChannelType } from '../db/models';
import { checkUrl, UnsafeUrlError } from './url-guard';

/** Where the services are, and whether private addresses may be reached (config `channels`). */
export interface ChannelEndpoints {
  /** ntfy server used when a channel names none. */
  ntfyUrl: string;
  /** A Discord / Slack channel's webhook URL must start with this. */
  discordWebhookBase: string;
  slackWebhookBase: string;
  /** Telegram Bot API base (`{base}/bot{token}/sendMessage`). */
  telegramApiUrl: string;
  /** Loopback and private addresses are reachable (embedded defaults, tests); never link-local. */
  allowPrivate: boolean;
}

/** A channel's settings split as stored: what a client may read back, and what is sealed. */
export interface ChannelConfig {
  settings: Record<string, string>;
  secrets: Record<string, string>;
}

/** Field errors by setting name, for a 422. */
export type SettingProblems = Record<string, string[]>;

const TOPIC = /^[\w-]{1,64}$/;
const BOT_TOKEN = /^\d{1,20}:[\w-]{20,100}$/;
const CHAT_ID = /^(-?\d{1,20}|@\w{5,64})$/;

/** A fresh Standard Webhooks secret: `whsec_` and 32 random bytes in base64. */
export function newWebhookSecret(): string {
  return `whsec_${crypto.randomBytes(32).toString('base64')}`;
}

/**
 * A webhook's secrets after a rotation: a fresh current secret, and the one it replaces, still signing until
 * `untilMs` (an older previous one, from a rotation still overlapping, is dropped).
 */
export function rotatedWebhookSecrets(
  secrets: Record<string, string>,
  untilMs: number,
): Record<string, string> {
  return { secret: newWebhookSecret(), previous_secret: secrets.secret, previous_until: String(untilMs) };
}

/**
 * Validates a channel's settings for its type (`previous` fills what an update leaves out) and splits them.
 * URLs are checked for scheme and, resolving them, for the addresses they reach (url-guard.ts).
 */
export async function parseChannelConfig(
  type: ChannelType,
  input: Record<string, unknown>,
  endpoints: ChannelEndpoints,
  previous?: ChannelConfig,
): Promise<{ config: ChannelConfig; problems: SettingProblems }> {
  const problems: SettingProblems = {};
  const prev = { ...previous?.settings, ...previous?.secrets };
  const value = (name: string): string | undefined => {
    const v = input[name];
    if (v === undefined || v === null) return prev[name];
    return typeof v === 'string' || typeof v === 'number' ? String(v).trim() : undefined;
  };
  const fail = (name: string, message: string) => (problems[name] ??= []).push(message);
  const url = async (name: string, base?: string): Promise<string | undefined> => {
    const raw = value(name);
    if (!raw) return void fail(name, 'is required');
    if (base && !raw.startsWith(base)) return void fail(name, `must start with ${base}`);
    try {
      await checkUrl(raw, endpoints.allowPrivate);
    } catch (err) {
      if (!(err instanceof UnsafeUrlError)) throw err;
      return void fail(name, err.message);
    }
    return raw;
  };

  const config: ChannelConfig = { settings: {}, secrets: {} };
  switch (type) {
    case 'webhook': {
      const target = await url('url');
      if (target) config.settings.url = target;
      // A settings change keeps the signing secret, and a rotation's overlap with it.
      const { secret, previous_secret: old, previous_until: until } = previous?.secrets ?? {};
      config.secrets.secret = secret ?? newWebhookSecret();
      if (old && until) Object.assign(config.secrets, { previous_secret: old, previous_until: until });
      break;
    }
    case 'ntfy': {
      const server = value('server') ? await url('server') : endpoints.ntfyUrl;
      const topic = value('topic');
      if (!topic || !TOPIC.test(topic)) fail('topic', 'must be 1-64 letters, digits, _ or -');
      if (server && topic) Object.assign(config.settings, { server, topic });
      const token = value('token');
      if (token) config.secrets.token = token;
      break;
    }
    case 'discord':
    case 'slack': {
      const base = type === 'discord' ? endpoints.discordWebhookBase : endpoints.slackWebhookBase;
      const target = await url('webhook_url', base);
      if (target) config.secrets.webhook_url = target;
      break;
    }
    case 'telegram': {
      const token = value('bot_token');
      const chat = value('chat_id');
      if (!token || !BOT_TOKEN.test(token)) fail('bot_token', 'must be a Telegram bot token (123456:ABC...)');
      if (!chat || !CHAT_ID.test(chat)) fail('chat_id', 'must be a numeric chat id or @channelname');
      if (token) config.secrets.bot_token = token;
      if (chat) config.settings.chat_id = chat;
      break;
    }
  }
  return { config, problems };
}
