import { startFakeMailgun } from '../../helpers/fake-mailgun';

const post = (url: string, apiKey: string, signal?: AbortSignal) => {
  const form = new FormData();
  form.append('from', 'a@example.com');
  form.append('to', 'b@example.com');
  form.append('subject', 'Hi');
  const authorization = `Basic ${Buffer.from(`api:${apiKey}`).toString('base64')}`;
  return fetch(`${url}/v3/mg.test/messages`, {
    method: 'POST',
    body: form,
    headers: { authorization },
    signal,
  });
};

describe('fake Mailgun', () => {
  it('answers the queued failures in order without recording them, then accepts again', async () => {
    const fake = await startFakeMailgun();
    fake.failNext(2, { status: 429, retryAfter: 30 });

    const first = await post(fake.url, fake.apiKey);
    const second = await post(fake.url, fake.apiKey);
    const third = await post(fake.url, fake.apiKey);
    await fake.close();

    expect([first.status, second.status, third.status]).toEqual([429, 429, 200]);
    expect(first.headers.get('retry-after')).toBe('30');
    expect(fake.requests).toBe(3);
    expect(fake.messages.map((m) => m.to)).toEqual(['b@example.com']);
  });

  it('closes even while requests are left hanging', async () => {
    const fake = await startFakeMailgun();
    fake.hangNext(1);
    const hanging = post(fake.url, fake.apiKey);
    await expect(fake.waitForMessages(1, 200)).rejects.toThrow('0 of 1 messages');

    await fake.close();
    await expect(hanging).rejects.toThrow();
    expect(fake.requests).toBe(1);
  });
});
