/** A user's notification channels: create, read, list, change, delete. Every query is scoped by owner. */
import {
  parseChannelConfig,
  rotatedWebhookSecrets,
  type ChannelEndpoints,
} from '../channels/channel-settings';
import type { SecretBox } from '../channels/secret-box';
import type { Database } from '../db/database';
import type { Channel, ChannelEvent, ChannelType } from '../db/models';
import { ConflictError, NotFoundError, ValidationError } from '../errors';

/** Channels one user may hold. */
export const MAX_CHANNELS_PER_USER = 20;

export interface NewChannel {
  type: ChannelType;
  name?: string | null;
  events?: ChannelEvent[];
  enabled?: boolean;
  settings: Record<string, unknown>;
}

export type ChannelChanges = Partial<Omit<NewChannel, 'type'>>;

export function createChannelService(deps: {
  db: Database;
  box: SecretBox;
  endpoints: ChannelEndpoints;
  /** How long a rotated-out webhook secret still signs (ms). */
  secretOverlapMs: number;
  now?: () => number;
}) {
  const now = deps.now ?? Date.now;
  const { Channel } = deps.db.models;

  /** Validates the settings for the type; 422 with field errors under `settings.*`. */
  async function configure(type: ChannelType, settings: Record<string, unknown>, channel?: Channel) {
    const previous = channel
      ? { settings: channel.settings, secrets: deps.box.open(channel.secrets) }
      : undefined;
    const { config, problems } = await parseChannelConfig(type, settings, deps.endpoints, previous);
    const fields = Object.fromEntries(Object.entries(problems).map(([k, v]) => [`settings.${k}`, v]));
    if (Object.keys(fields).length) throw new ValidationError({ json: fields }, 'Invalid channel settings');
    return config;
  }

  async function list(userId: number): Promise<Channel[]> {
    return Channel.findAll({ where: { userId }, order: [['id', 'ASC']] });
  }

  async function get(userId: number, id: number): Promise<Channel> {
    const channel = await Channel.findOne({ where: { id, userId } });
    if (!channel) throw new NotFoundError('Channel not found.', 'channel_not_found');
    return channel;
  }

  /** Creates it; a webhook's signing secret is returned here once and never again. */
  async function create(userId: number, input: NewChannel): Promise<{ channel: Channel; secret?: string }> {
    if ((await Channel.count({ where: { userId } })) >= MAX_CHANNELS_PER_USER) {
      throw new ConflictError('too_many_channels', `You can have at most ${MAX_CHANNELS_PER_USER} channels.`);
    }
    const config = await configure(input.type, input.settings);
    const channel = await Channel.create({
      userId,
      type: input.type,
      name: input.name ?? null,
      events: [...new Set<ChannelEvent>(input.events ?? ['reminder'])],
      enabled: input.enabled ?? true,
      settings: config.settings,
      secrets: deps.box.seal(config.secrets),
    });
    return { channel, secret: config.secrets.secret };
  }

  /** Settings left out keep their values (secrets too); enabling again clears a delivery's disabling. */
  async function update(userId: number, id: number, changes: ChannelChanges): Promise<Channel> {
    const channel = await get(userId, id);
    if (changes.settings) {
      const config = await configure(channel.type, changes.settings, channel);
      channel.settings = config.settings;
      channel.secrets = deps.box.seal(config.secrets);
    }
    if (changes.name !== undefined) channel.name = changes.name;
    if (changes.events) channel.events = [...new Set(changes.events)];
    if (changes.enabled !== undefined) {
      channel.enabled = changes.enabled;
      if (changes.enabled) {
        channel.consecutiveFailures = 0;
        channel.disabledReason = null;
      }
    }
    await channel.save();
    return channel;
  }

  /**
   * Gives a webhook a new signing secret, returned here once. Until `previousExpiresAt` deliveries carry a
   * signature by the old secret too, so receivers can switch over without missing one.
   */
  async function rotateSecret(
    userId: number,
    id: number,
  ): Promise<{ channel: Channel; secret: string; previousExpiresAt: Date }> {
    const channel = await get(userId, id);
    if (channel.type !== 'webhook') {
      throw new ConflictError('not_a_webhook', 'Only webhook channels have a signing secret.');
    }
    const untilMs = now() + deps.secretOverlapMs;
    const secrets = rotatedWebhookSecrets(deps.box.open(channel.secrets), untilMs);
    channel.secrets = deps.box.seal(secrets);
    channel.changed('updatedAt', true);
    await channel.save();
    return { channel, secret: secrets.secret, previousExpiresAt: new Date(untilMs) };
  }

  async function remove(userId: number, id: number): Promise<void> {
    await (await get(userId, id)).destroy();
  }

  return { list, get, create, update, rotateSecret, remove };
}

export type ChannelService = ReturnType<typeof createChannelService>;
