import crypto from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { reminderEvent } from '../../src/channels/channel-event';
import {
  newWebhookSecret,
  parseChannelConfig,
  rotatedWebhookSecrets,
} from '../../src/channels/channel-settings';
import { providerRequest, signingSecrets } from '../../src/channels/provider-requests';

/** The signatures of `webhook-signature` that verify with `secret`, by the specification's HMAC. */
function verifiedBy(secret: string, headers: Record<string, string>, body: string): number {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = crypto
    .createHmac('sha256', key)
    .update(`${headers['webhook-id']}.${headers['webhook-timestamp']}.${body}`)
    .digest('base64');
  return headers['webhook-signature'].split(' ').filter((s) => s === `v1,${expected}`).length;
}

const endpoints = {
  ntfyUrl: 'https://ntfy.sh',
  discordWebhookBase: 'https://discord.com/api/webhooks/',
  slackWebhookBase: 'https://hooks.slack.com/services/',
  telegramApiUrl: 'https://api.telegram.org',
  allowPrivate: true,
};

describe('webhook secret rotation', () => {
  const old = newWebhookSecret();
  const rotatedAt = Date.now();
  const until = rotatedAt + 3_600_000;
  const rotated = rotatedWebhookSecrets({ secret: old }, until);
  const event = reminderEvent({
    deliveryKey: 'rem:1:2026-12-20:1',
    subscription: { id: 1, name: 'Netflix', priceMinor: 1599, currency: 'EUR' },
    dueDate: '2026-12-20',
    offsetDays: 1,
    instantMs: rotatedAt,
    nowMs: rotatedAt,
  });
  const send = (nowMs: number) =>
    providerRequest(
      { id: 1, type: 'webhook', settings: { url: 'https://h/x' }, secrets: rotated },
      event,
      endpoints,
      nowMs,
    );

  it('gives a fresh secret and keeps the old one until the overlap ends', () => {
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(old);
    expect(rotated).toEqual({ secret: rotated.secret, previous_secret: old, previous_until: String(until) });
    expect(signingSecrets(rotated, until - 1)).toEqual([rotated.secret, old]);
    expect(signingSecrets(rotated, until)).toEqual([rotated.secret]);
  });

  it('signs with both secrets during the overlap: a receiver on either verifies', () => {
    const req = send(rotatedAt + 1000);
    expect(req.headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(verifiedBy(rotated.secret, req.headers, req.body)).toBe(1);
    expect(verifiedBy(old, req.headers, req.body)).toBe(1);
    // The package's own verifier too (its 5-minute timestamp tolerance holds: nowMs is about now).
    expect(new Webhook(old).verify(req.body, req.headers)).toEqual(event);
    expect(new Webhook(rotated.secret).verify(req.body, req.headers)).toEqual(event);
  });

  it('signs with the new secret only once the overlap has ended', () => {
    const req = send(until + 1);
    expect(req.headers['webhook-signature'].split(' ')).toHaveLength(1);
    expect(verifiedBy(rotated.secret, req.headers, req.body)).toBe(1);
    expect(verifiedBy(old, req.headers, req.body)).toBe(0);
  });

  it('a second rotation during the overlap drops the oldest secret', () => {
    const again = rotatedWebhookSecrets(rotated, until + 10);
    expect(again.previous_secret).toBe(rotated.secret);
    expect(Object.values(again)).not.toContain(old);
  });

  it('a settings change keeps the secret and the overlap', async () => {
    const { config, problems } = await parseChannelConfig(
      'webhook',
      { url: 'http://127.0.0.1:9/new' },
      endpoints,
      { settings: { url: 'http://127.0.0.1:9/old' }, secrets: rotated },
    );
    expect(problems).toEqual({});
    expect(config).toEqual({ settings: { url: 'http://127.0.0.1:9/new' }, secrets: rotated });
  });
});
