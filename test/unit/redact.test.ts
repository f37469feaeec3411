import { redactText, redactUrl } from '../../src/redact';

const jwt =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxIiwidHlwZSI6InVuc3Vic2NyaWJlIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ';

describe('redacting credentials out of logged URLs and messages', () => {
  it.each([
    ['/password/reset?token=abc', '/password/reset?token=[redacted]'],
    ['/verify-email?lang=en&token=abc&x=1', '/verify-email?lang=en&token=[redacted]&x=1'],
    [
      '/x?access_token=a&refresh_token=b&api_key=c&password=d',
      '/x?access_token=[redacted]&refresh_token=[redacted]&api_key=[redacted]&password=[redacted]',
    ],
    [`/x?t=${jwt}`, '/x?t=[redacted]'],
    [`/x?t=${encodeURIComponent(jwt)}`, '/x?t=[redacted]'],
    [`/links/${jwt}/open`, '/links/[redacted]/open'],
    ['/subscriptions?page=2&per_page=10&sort=-name', '/subscriptions?page=2&per_page=10&sort=-name'],
    ['/healthz', '/healthz'],
  ])('%s', (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });

  it('redacts token parameters and JWTs quoted in free text, and keeps file names in a stack', () => {
    expect(redactText(`GET /reset?token=abc&x=1 failed`)).toBe('GET /reset?token=[redacted]&x=1 failed');
    expect(redactText(`bad ${jwt}!`)).toBe('bad [redacted]!');
    const stack = 'at run (/app/workflows/reminder-check.workflow.ts:10:5)';
    expect(redactText(stack)).toBe(stack);
  });
});
