import { renderReminderEmail } from '../../src/mail/templates/reminder-email';

const input = {
  username: 'Zoë <script>',
  subscriptionName: 'Netflix & "Chill"',
  priceMinor: 1599,
  currency: 'EUR',
  dueDate: '2026-12-04',
  timezone: 'Europe/Berlin',
  daysLeft: 7,
  manageUrl: 'https://app.test/subscriptions/12',
  unsubscribeUrl: 'https://app.test/unsubscribe?token=a&b',
};

describe('renderReminderEmail', () => {
  it('says what is due, how much, when in the owner zone and how many days are left', () => {
    const { subject, text } = renderReminderEmail(input);
    expect(subject).toBe('Netflix & "Chill": €15.99 due in 7 days');
    expect(text).toContain('Friday, 4 December 2026 (Europe/Berlin)');
    expect(text).toContain('https://app.test/subscriptions/12');
    expect(text).toContain('https://app.test/unsubscribe?token=a&b');
  });

  it('escapes user input in the HTML and links the management and unsubscribe pages', () => {
    const { html } = renderReminderEmail(input);
    expect(html).toContain('Netflix &amp; &quot;Chill&quot;');
    expect(html).toContain('Zoë &lt;script&gt;');
    expect(html).not.toContain('<script>');
    expect(html).toContain('href="https://app.test/subscriptions/12"');
    expect(html).toContain('href="https://app.test/unsubscribe?token=a&amp;b"');
  });

  it('writes tomorrow and today, and marks test sends', () => {
    expect(renderReminderEmail({ ...input, daysLeft: 1 }).subject).toContain('due tomorrow');
    expect(renderReminderEmail({ ...input, daysLeft: 0 }).subject).toContain('due today');
    expect(renderReminderEmail({ ...input, test: true }).subject).toMatch(/^\[Test\] /);
  });
});
