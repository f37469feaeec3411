import type { Channel } from '../../db/models';

/**
 * A channel as its owner reads it: public settings only. Secrets (a webhook's signing secret, tokens, Discord and
 * Slack URLs, which carry tokens) never leave the server after creation.
 */
export function presentChannel(channel: Channel) {
  return {
    id: channel.id,
    type: channel.type,
    name: channel.name ?? null,
    events: channel.events,
    enabled: channel.enabled,
    settings: channel.settings,
    consecutive_failures: channel.consecutiveFailures,
    disabled_reason: channel.disabledReason ?? null,
    created_at: channel.createdAt.toISOString(),
    updated_at: channel.updatedAt.toISOString(),
  };
}
