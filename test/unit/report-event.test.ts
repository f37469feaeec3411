import { eventText, reportEvent } from '../../src/channels/channel-event';
import { providerRequest, type DeliverableChannel } from '../../src/channels/provider-requests';

const event = reportEvent({
  deliveryKey: 'report:7:2026-11',
  month: '2026-11',
  totals: {
    currency: 'EUR',
    byCurrency: {
      USD: { totalMinor: 1_000, chargesCount: 1 },
      CHF: { totalMinor: 0, chargesCount: 0 },
      EUR: { totalMinor: 4_598, chargesCount: 2 },
      AUD: { totalMinor: 500, chargesCount: 1 },
    },
  },
  nowMs: Date.parse('2026-12-01T09:00:00Z'),
});
const channel = (type: DeliverableChannel['type'], settings = {}, secrets = {}): DeliverableChannel => ({
  id: 1,
  type,
  settings,
  secrets,
});

describe('the monthly report event', () => {
  it("lists each currency charged, the user's first, the others by code, and never adds them up", () => {
    expect(event).toEqual({
      type: 'report.monthly',
      id: 'msg_report_7_2026-11',
      timestamp: '2026-12-01T09:00:00.000Z',
      data: {
        month: '2026-11',
        currency: 'EUR',
        totals: [
          { currency: 'EUR', amount: '45.98', charges_count: 2 },
          { currency: 'AUD', amount: '5.00', charges_count: 1 },
          { currency: 'USD', amount: '10.00', charges_count: 1 },
        ],
        charges_count: 4,
      },
    });
  });

  it('reads as one line in chat channels', () => {
    expect(eventText(event)).toBe(
      'SubTracker report for 2026-11: 45.98 EUR (2 charges), 5.00 AUD (1 charge), 10.00 USD (1 charge)',
    );
  });

  it('goes to ntfy under the title "Monthly report", to Slack and Telegram as the line, to a webhook as is', () => {
    const endpoints = { telegramApiUrl: 'https://api.telegram.org' };
    const nowMs = Date.parse('2026-12-01T09:00:01Z');
    const ntfy = providerRequest(
      channel('ntfy', { server: 'https://ntfy.sh', topic: 'b' }),
      event,
      endpoints,
      nowMs,
    );
    expect(JSON.parse(ntfy.body)).toMatchObject({
      topic: 'b',
      title: 'Monthly report',
      message: eventText(event),
    });
    const slack = providerRequest(
      channel('slack', {}, { webhook_url: 'https://hooks.slack.com/services/x' }),
      event,
      endpoints,
      nowMs,
    );
    expect(JSON.parse(slack.body)).toEqual({ text: eventText(event) });
    const telegram = providerRequest(
      channel('telegram', { chat_id: '42' }, { bot_token: '1:abc' }),
      event,
      endpoints,
      nowMs,
    );
    expect(JSON.parse(telegram.body)).toMatchObject({ chat_id: '42', text: eventText(event) });
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const hook = providerRequest(
      channel('webhook', { url: 'https://h.example/x' }, { secret }),
      event,
      endpoints,
      nowMs,
    );
    expect(JSON.parse(hook.body)).toEqual(event);
    expect(hook.headers['webhook-id']).toBe('msg_report_7_2026-11');
  });
});
