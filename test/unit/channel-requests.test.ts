import crypto from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { classifyAnswer } from '../../src/channels/channel-sender';
import { reminderEvent } from '../../src/channels/channel-event';
import { providerRequest, type DeliverableChannel } from '../../src/channels/provider-requests';
import { addressProblem, checkUrlShape, guardedLookup } from '../../src/channels/url-guard';

const event = reminderEvent({
  deliveryKey: 'rem:12:2026-12-20:7',
  subscription: { id: 12, name: 'Netflix', priceMinor: 1599, currency: 'EUR' },
  dueDate: '2026-12-20',
  offsetDays: 7,
  instantMs: Date.parse('2026-12-13T09:00:00Z'),
  nowMs: Date.parse('2026-12-13T09:00:01Z'),
});
const endpoints = { telegramApiUrl: 'https://api.telegram.org' };
const nowMs = Date.parse('2026-12-13T09:00:02Z');
const channel = (type: DeliverableChannel['type'], settings = {}, secrets = {}): DeliverableChannel => ({
  id: 1,
  type,
  settings,
  secrets,
});

describe('provider requests', () => {
  it('webhook: the event as JSON, signed per Standard Webhooks with a webhook-id stable per delivery key', () => {
    const secret = `whsec_${crypto.randomBytes(32).toString('base64')}`;
    const req = providerRequest(
      channel('webhook', { url: 'https://hooks.example/x' }, { secret }),
      event,
      endpoints,
      nowMs,
    );
    expect(req.url).toBe('https://hooks.example/x');
    expect(req.headers['webhook-id']).toBe('msg_rem_12_2026-12-20_7');
    expect(req.headers['webhook-timestamp']).toBe(String(nowMs / 1000));
    expect(req.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(JSON.parse(req.body)).toEqual({
      type: 'reminder.due',
      id: 'msg_rem_12_2026-12-20_7',
      timestamp: '2026-12-13T09:00:01.000Z',
      data: {
        kind: 'charge',
        subscription: { id: 12, name: 'Netflix' },
        amount: '15.99',
        currency: 'EUR',
        due_date: '2026-12-20',
        offset_days: 7,
        reminder_at: '2026-12-13T09:00:00.000Z',
      },
    });
    // The package's own verifier accepts it (its timestamp tolerance is 5 minutes around now).
    const fresh = providerRequest(
      channel('webhook', { url: 'https://h/x' }, { secret }),
      event,
      endpoints,
      Date.now(),
    );
    expect(new Webhook(secret).verify(fresh.body, fresh.headers)).toEqual(JSON.parse(fresh.body));
  });

  it('ntfy: publish-as-JSON to the server root with topic, title and message, and the token as Bearer', () => {
    const req = providerRequest(
      channel('ntfy', { server: 'https://ntfy.example/', topic: 'bills' }, { token: 'tk_1' }),
      event,
      endpoints,
      nowMs,
    );
    expect(req.url).toBe('https://ntfy.example/');
    expect(req.headers.authorization).toBe('Bearer tk_1');
    expect(JSON.parse(req.body)).toEqual({
      topic: 'bills',
      title: 'Payment reminder',
      message: 'Netflix: 15.99 EUR due 2026-12-20 (in 7 days)',
      tags: ['moneybag'],
    });
  });

  it('discord: execute webhook with wait=true and no mentions', () => {
    const req = providerRequest(
      channel('discord', {}, { webhook_url: 'https://discord.com/api/webhooks/1/tok' }),
      event,
      endpoints,
      nowMs,
    );
    expect(req.url).toBe('https://discord.com/api/webhooks/1/tok?wait=true');
    expect(JSON.parse(req.body)).toEqual({
      content: 'Netflix: 15.99 EUR due 2026-12-20 (in 7 days)',
      allowed_mentions: { parse: [] },
    });
  });

  it('slack: incoming webhook with text', () => {
    const req = providerRequest(
      channel('slack', {}, { webhook_url: 'https://hooks.slack.com/services/T/B/x' }),
      event,
      endpoints,
      nowMs,
    );
    expect(req.url).toBe('https://hooks.slack.com/services/T/B/x');
    expect(JSON.parse(req.body)).toEqual({ text: 'Netflix: 15.99 EUR due 2026-12-20 (in 7 days)' });
  });

  it('a trial-end or cancel-by reminder says so in its text, title and webhook kind', () => {
    const of = (kind: 'trial_end' | 'cancel_by', deliveryKey: string) =>
      reminderEvent({
        deliveryKey,
        subscription: { id: 12, name: 'Netflix', priceMinor: 1599, currency: 'EUR' },
        dueDate: '2026-12-20',
        offsetDays: 1,
        instantMs: Date.parse('2026-12-19T09:00:00Z'),
        nowMs,
        kind,
      });
    const slack = channel('slack', {}, { webhook_url: 'https://hooks.slack.com/services/T/B/x' });
    const trial = of('trial_end', 'trial:12:2026-12-20:1');
    expect(JSON.parse(providerRequest(slack, trial, endpoints, nowMs).body)).toEqual({
      text: 'Netflix: free trial ends 2026-12-20 (tomorrow), then 15.99 EUR',
    });
    const cancelBy = of('cancel_by', 'cancelby:12:2026-12-20:1');
    expect(JSON.parse(providerRequest(slack, cancelBy, endpoints, nowMs).body)).toEqual({
      text: 'Netflix: cancel by 2026-12-20 (tomorrow) to avoid the next 15.99 EUR term',
    });
    const ntfy = providerRequest(
      channel('ntfy', { server: 'https://ntfy.example/', topic: 't' }),
      cancelBy,
      endpoints,
      nowMs,
    );
    expect(JSON.parse(ntfy.body)).toMatchObject({ title: 'Cancel-by deadline' });
    const hook = providerRequest(
      channel('webhook', { url: 'https://hooks.example/x' }, { secret: `whsec_${'A'.repeat(44)}` }),
      trial,
      endpoints,
      nowMs,
    );
    expect(JSON.parse(hook.body)).toMatchObject({ type: 'reminder.due', data: { kind: 'trial_end' } });
  });

  it('telegram: sendMessage on the Bot API with the chat id', () => {
    const req = providerRequest(
      channel('telegram', { chat_id: '-100200' }, { bot_token: '123:abc' }),
      event,
      endpoints,
      nowMs,
    );
    expect(req.url).toBe('https://api.telegram.org/bot123:abc/sendMessage');
    expect(JSON.parse(req.body)).toEqual({
      chat_id: '-100200',
      text: 'Netflix: 15.99 EUR due 2026-12-20 (in 7 days)',
      disable_web_page_preview: true,
    });
  });
});

describe('provider answers', () => {
  it('2xx is sent, with the provider id when its body names one', () => {
    expect(
      classifyAnswer('telegram', 200, '{"ok":true,"result":{"message_id":42}}', undefined, 0),
    ).toMatchObject({
      kind: 'sent',
      providerMessageId: '42',
    });
    expect(classifyAnswer('slack', 200, 'ok', undefined, 0)).toMatchObject({ kind: 'sent' });
  });

  it('429 retries after Retry-After in seconds, as an HTTP date, or from Telegram body', () => {
    expect(classifyAnswer('webhook', 429, '', '30', 0)).toMatchObject({
      kind: 'retry',
      retryAfterMs: 30_000,
    });
    const now = Date.parse('2026-12-13T09:00:00Z');
    expect(classifyAnswer('webhook', 429, '', 'Sun, 13 Dec 2026 09:01:00 GMT', now)).toMatchObject({
      retryAfterMs: 60_000,
    });
    expect(
      classifyAnswer('telegram', 429, '{"ok":false,"parameters":{"retry_after":7}}', undefined, 0),
    ).toMatchObject({ kind: 'retry', retryAfterMs: 7_000 });
  });

  it('5xx and 408 retry; 401, 403, 404 and 410 fail for good', () => {
    for (const s of [500, 502, 503, 408])
      expect(classifyAnswer('webhook', s, '', undefined, 0).kind).toBe('retry');
    for (const s of [400, 401, 403, 404, 410])
      expect(classifyAnswer('webhook', s, '', undefined, 0).kind).toBe('permanent');
  });
});

describe('SSRF guard', () => {
  it('refuses link-local always, private and loopback unless allowed, and allows public addresses', () => {
    expect(addressProblem('169.254.169.254', true)).toMatch(/link-local/);
    expect(addressProblem('::ffff:169.254.169.254', true)).toMatch(/link-local/);
    expect(addressProblem('fe80::1', true)).toMatch(/link-local/);
    for (const ip of [
      '127.0.0.1',
      '10.0.0.1',
      '172.16.5.4',
      '192.168.1.1',
      '100.64.0.1',
      '::1',
      'fd00::1',
      '0.0.0.0',
    ]) {
      expect(addressProblem(ip, false)).toMatch(/private or loopback/);
      expect(addressProblem(ip, true)).toBeNull();
    }
    expect(addressProblem('93.184.216.34', false)).toBeNull();
    expect(addressProblem('2606:4700::1111', false)).toBeNull();
  });

  it('refuses non-HTTP schemes and URLs with credentials', () => {
    expect(() => checkUrlShape('file:///etc/passwd', true)).toThrow(/http/);
    expect(() => checkUrlShape('gopher://x/', true)).toThrow(/http/);
    expect(() => checkUrlShape('https://user:pw@example.com/', true)).toThrow(/credentials/);
    expect(checkUrlShape('https://example.com/hook', false).hostname).toBe('example.com');
  });

  it('refuses at connect time a name that resolves to a private address (DNS may change after saving)', async () => {
    const lookup = (allow: boolean) =>
      new Promise<string>((resolve, reject) =>
        guardedLookup(allow)('localhost', { family: 4 }, (err, address) =>
          err ? reject(err) : resolve(String(address)),
        ),
      );
    await expect(lookup(false)).rejects.toThrow(/refused to connect: 127\.0\.0\.1 is a private or loopback/);
    await expect(lookup(true)).resolves.toBe('127.0.0.1');
  });
});
