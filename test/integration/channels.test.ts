import request from 'supertest';
import { createTestApp, type TestApp } from '../helpers/app';
import { createUserWithTokens } from '../helpers/users';

describe('notification channels API', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      env: {
        DISCORD_WEBHOOK_BASE: 'https://discord.com/api/webhooks/',
        TELEGRAM_API_URL: 'https://api.telegram.org',
      },
    });
  });
  afterAll(() => t.close());

  const webhook = (url = 'http://127.0.0.1:9/hook') => ({
    type: 'webhook',
    name: 'Home server',
    settings: { url },
  });

  it('creates a webhook channel, shows its whsec_ secret once, and never again', async () => {
    const { auth } = await createUserWithTokens(t.runtime);
    const created = await request(t.app).post('/users/me/channels').set(auth).send(webhook());
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      type: 'webhook',
      name: 'Home server',
      events: ['reminder'],
      enabled: true,
      settings: { url: 'http://127.0.0.1:9/hook' },
      consecutive_failures: 0,
      disabled_reason: null,
    });
    expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);

    const listed = await request(t.app).get('/users/me/channels').set(auth);
    expect(listed.status).toBe(200);
    expect(listed.body).toHaveLength(1);
    expect(JSON.stringify(listed.body)).not.toContain(created.body.secret.slice(6));
    const one = await request(t.app).get(`/users/me/channels/${created.body.id}`).set(auth);
    expect(one.body).not.toHaveProperty('secret');

    // At rest the secret is sealed: the row holds neither the secret nor its key material.
    const row = await t.runtime.db.models.Channel.findByPk(created.body.id);
    expect(row!.secrets).not.toContain(created.body.secret.slice(6, 20));
  });

  it('keeps ntfy and Telegram tokens and Discord URLs write-only', async () => {
    const { auth } = await createUserWithTokens(t.runtime);
    const bodies = [
      { type: 'ntfy', settings: { topic: 'bills', token: 'tk_secretntfytoken' } },
      { type: 'discord', settings: { webhook_url: 'https://discord.com/api/webhooks/1/secretdiscordtoken' } },
      { type: 'telegram', settings: { bot_token: '123456:AAsecrettelegramtokenxxxxxx', chat_id: '-100200' } },
    ];
    for (const body of bodies) {
      const res = await request(t.app).post('/users/me/channels').set(auth).send(body);
      expect(res.status).toBe(201);
      expect(res.body).not.toHaveProperty('secret');
    }
    const listed = await request(t.app).get('/users/me/channels').set(auth);
    expect(listed.body.map((c: { settings: object }) => c.settings)).toEqual([
      { server: 'https://ntfy.sh', topic: 'bills' },
      {},
      { chat_id: '-100200' },
    ]);
    expect(JSON.stringify(listed.body)).not.toMatch(/secret/);
  });

  it('changes events and settings, keeping the secret, and re-enabling clears a disabling', async () => {
    const { auth } = await createUserWithTokens(t.runtime);
    const { body } = await request(t.app).post('/users/me/channels').set(auth).send(webhook());
    const before = await t.runtime.db.models.Channel.findByPk(body.id);
    await before!.update({
      enabled: false,
      consecutiveFailures: 5,
      disabledReason: '5 deliveries failed in a row',
    });

    const res = await request(t.app)
      .patch(`/users/me/channels/${body.id}`)
      .set(auth)
      .send({ events: ['reminder', 'report'], enabled: true, settings: { url: 'http://127.0.0.1:9/other' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      events: ['reminder', 'report'],
      enabled: true,
      consecutive_failures: 0,
      disabled_reason: null,
      settings: { url: 'http://127.0.0.1:9/other' },
    });
    const box = (await import('../../src/channels/secret-box')).createSecretBox(
      t.runtime.config.temporal.payloadKeys,
    );
    const after = await t.runtime.db.models.Channel.findByPk(body.id);
    expect(box.open(after!.secrets)).toEqual({ secret: body.secret });
  });

  it("answers 404 for another user's channel, and deletes one's own", async () => {
    const owner = await createUserWithTokens(t.runtime);
    const other = await createUserWithTokens(t.runtime);
    const { body } = await request(t.app).post('/users/me/channels').set(owner.auth).send(webhook());
    for (const call of [
      request(t.app).get(`/users/me/channels/${body.id}`),
      request(t.app).patch(`/users/me/channels/${body.id}`).send({ enabled: false }),
      request(t.app).delete(`/users/me/channels/${body.id}`),
    ]) {
      const res = await call.set(other.auth);
      expect(res.status).toBe(404);
      expect(res.body.error).toBe('channel_not_found');
    }
    const deleted = await request(t.app).delete(`/users/me/channels/${body.id}`).set(owner.auth);
    expect(deleted.status).toBe(200);
    expect((await request(t.app).get('/users/me/channels').set(owner.auth)).body).toEqual([]);
  });

  it('answers 422 with field errors for bad settings of each type', async () => {
    const { auth } = await createUserWithTokens(t.runtime);
    const cases: [object, string][] = [
      [{ type: 'webhook', settings: {} }, 'settings.url'],
      [{ type: 'webhook', settings: { url: 'ftp://example.com/x' } }, 'settings.url'],
      [{ type: 'ntfy', settings: { topic: 'no spaces allowed' } }, 'settings.topic'],
      [
        { type: 'discord', settings: { webhook_url: 'https://example.com/api/webhooks/1/x' } },
        'settings.webhook_url',
      ],
      [{ type: 'telegram', settings: { bot_token: 'nope', chat_id: '1' } }, 'settings.bot_token'],
    ];
    for (const [body, field] of cases) {
      const res = await request(t.app).post('/users/me/channels').set(auth).send(body);
      expect(res.status).toBe(422);
      expect(res.body.errors.json).toHaveProperty([field]);
    }
    const unknownType = await request(t.app)
      .post('/users/me/channels')
      .set(auth)
      .send({ type: 'sms', settings: {} });
    expect(unknownType.status).toBe(422);
  });

  it('refuses link-local URLs (cloud metadata) even where private addresses are allowed', async () => {
    const { auth } = await createUserWithTokens(t.runtime);
    for (const url of [
      'http://169.254.169.254/latest/meta-data',
      'http://[fe80::1]/x',
      'http://[::ffff:169.254.169.254]/',
    ]) {
      const res = await request(t.app).post('/users/me/channels').set(auth).send(webhook(url));
      expect(res.status).toBe(422);
      expect(res.body.errors.json['settings.url'][0]).toMatch(/link-local/);
    }
  });
});

describe('notification channels API in production-like settings (private addresses refused)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { CHANNEL_ALLOW_PRIVATE_URLS: 'false' } });
  });
  afterAll(() => t.close());

  it('refuses webhook URLs reaching loopback or private addresses, by literal or by name', async () => {
    const { auth } = await createUserWithTokens(t.runtime);
    for (const url of [
      'http://127.0.0.1:8080/hook',
      'http://10.1.2.3/hook',
      'http://192.168.0.10/hook',
      'http://[::1]/hook',
      'http://localhost:3000/hook',
      'http://0.0.0.0/hook',
    ]) {
      const res = await request(t.app)
        .post('/users/me/channels')
        .set(auth)
        .send({ type: 'webhook', settings: { url } });
      expect({ url, status: res.status }).toEqual({ url, status: 422 });
      expect(res.body.errors.json['settings.url'][0]).toMatch(/private|loopback|localhost/);
    }
  });
});
