import crypto from 'node:crypto';
import request from 'supertest';
import { ApiToken } from '../../src/db/models';
import { createAccountsApp, signUp, type AccountsApp } from '../helpers/accounts';
import { subscriptionBody } from '../helpers/subscriptions';

describe('personal API tokens: /users/me/tokens and Bearer use', () => {
  let t: AccountsApp;
  beforeAll(async () => {
    t = await createAccountsApp();
  });
  afterAll(() => t.close());

  type Owner = Awaited<ReturnType<typeof signUp>>;
  const mint = async (u: Owner, body: Record<string, unknown>) => {
    const res = await request(t.app).post('/users/me/tokens').set(u.bearer()).send(body);
    if (res.status !== 201) throw new Error(`mint: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: number; token: string; prefix: string; scopes: string[] };
  };
  const as = (secret: string) => ({ Authorization: `Bearer ${secret}` });

  it('shows the secret once, stores only its SHA-256, and lists tokens without it', async () => {
    const u = await signUp(t.app);
    const created = await mint(u, { name: 'dashboard', scopes: ['read'] });
    expect(created.token).toMatch(/^stpat_[\w-]{43}$/);
    expect(created.token.startsWith(created.prefix)).toBe(true);
    const row = await ApiToken.findByPk(created.id);
    expect(row!.tokenHash).toBe(crypto.createHash('sha256').update(created.token).digest('hex'));
    expect(JSON.stringify(row!.toJSON())).not.toContain(created.token);

    const list = await request(t.app).get('/users/me/tokens').set(u.bearer());
    expect(list.status).toBe(200);
    expect(list.body).toEqual([
      {
        id: created.id,
        name: 'dashboard',
        prefix: created.prefix,
        scopes: ['read'],
        created_at: expect.any(String),
        expires_at: null,
        last_used_at: null,
      },
    ]);
  });

  it('records when a token was last used', async () => {
    const u = await signUp(t.app);
    const { token } = await mint(u, { name: 'script', scopes: ['read'] });
    expect((await request(t.app).get('/subscriptions').set(as(token))).status).toBe(200);
    const list = await request(t.app).get('/users/me/tokens').set(u.bearer());
    expect(list.body[0].last_used_at).toBe(new Date(t.clock.now()).toISOString());
  });

  it('a read token reads and gets 403 insufficient_scope on every write', async () => {
    const u = await signUp(t.app);
    const sub = await request(t.app).post('/subscriptions').set(u.bearer()).send(subscriptionBody());
    const { token } = await mint(u, { name: 'ro', scopes: ['read'] });
    for (const path of ['/subscriptions', `/subscriptions/${sub.body.id}`, '/payments', '/stats/summary']) {
      expect([path, (await request(t.app).get(path).set(as(token))).status]).toEqual([path, 200]);
    }
    expect((await request(t.app).get('/users/me').set(as(token))).body.email).toBe(u.email);
    const writes = [
      request(t.app).post('/subscriptions').set(as(token)).send(subscriptionBody()),
      request(t.app).patch(`/subscriptions/${sub.body.id}`).set(as(token)).send({ price: '1.00' }),
      request(t.app).put(`/subscriptions/${sub.body.id}`).set(as(token)).send({ price: '1.00' }),
      request(t.app).delete(`/subscriptions/${sub.body.id}`).set(as(token)),
    ];
    for (const res of await Promise.all(writes)) {
      expect([res.status, res.body.error]).toEqual([403, 'insufficient_scope']);
    }
    const after = await request(t.app).get(`/subscriptions/${sub.body.id}`).set(u.bearer());
    expect(after.body.price).toBe(sub.body.price);
  });

  it('a read-write token creates, edits and deletes subscriptions', async () => {
    const u = await signUp(t.app);
    const { token } = await mint(u, { name: 'rw', scopes: ['read', 'write'] });
    const created = await request(t.app).post('/subscriptions').set(as(token)).send(subscriptionBody());
    expect(created.status).toBe(201);
    const edited = await request(t.app)
      .patch(`/subscriptions/${created.body.id}`)
      .set(as(token))
      .send({ price: '3.50' });
    expect([edited.status, edited.body.price]).toEqual([200, '3.50']);
    expect((await request(t.app).delete(`/subscriptions/${created.body.id}`).set(as(token))).status).toBe(
      200,
    );
  });

  it('no token reaches admin or account-security endpoints, whatever its scopes', async () => {
    const u = await signUp(t.app);
    const { token } = await mint(u, { name: 'rw', scopes: ['read', 'write'] });
    const attempts: [string, request.Test][] = [
      ['GET /users/me/sessions', request(t.app).get('/users/me/sessions').set(as(token))],
      [
        'DELETE /users/me/sessions/00000000-0000-4000-8000-000000000000',
        request(t.app).delete('/users/me/sessions/00000000-0000-4000-8000-000000000000').set(as(token)),
      ],
      [
        'POST /users/me/password',
        request(t.app)
          .post('/users/me/password')
          .set(as(token))
          .send({ current_password: u.password, new_password: 'another horse battery' }),
      ],
      ['GET /users/me/tokens', request(t.app).get('/users/me/tokens').set(as(token))],
      [
        'POST /users/me/tokens',
        request(t.app)
          .post('/users/me/tokens')
          .set(as(token))
          .send({ name: 'x', scopes: ['read'] }),
      ],
      ['DELETE /users/me/tokens/1', request(t.app).delete('/users/me/tokens/1').set(as(token))],
      ['PATCH /users/me', request(t.app).patch('/users/me').set(as(token)).send({ reminder_hour: 8 })],
      ['DELETE /users/me', request(t.app).delete('/users/me').set(as(token))],
      ['POST /users/me/calendar-feed', request(t.app).post('/users/me/calendar-feed').set(as(token))],
      ['GET /users/{id}', request(t.app).get(`/users/${u.user.id}`).set(as(token))],
      ['DELETE /users/{id}', request(t.app).delete(`/users/${u.user.id}`).set(as(token))],
    ];
    for (const [label, pending] of attempts) {
      const res = await pending;
      expect([label, res.status, res.body.error]).toEqual([label, 403, 'api_token_not_allowed']);
    }
    expect((await request(t.app).get('/users/me').set(u.bearer())).status).toBe(200);
  });

  it('creating a token needs a fresh login: a refreshed access token gets 401 fresh_token_required', async () => {
    const u = await signUp(t.app);
    const refreshed = await request(t.app).post('/refresh').set(u.bearer(u.refreshToken));
    const res = await request(t.app)
      .post('/users/me/tokens')
      .set(u.bearer(refreshed.body.access_token))
      .send({ name: 'late', scopes: ['read'] });
    expect([res.status, res.body.error]).toEqual([401, 'fresh_token_required']);
  });

  it('rejects a write-only scope and a past expiry with 422', async () => {
    const u = await signUp(t.app);
    const writeOnly = await request(t.app)
      .post('/users/me/tokens')
      .set(u.bearer())
      .send({ name: 'w', scopes: ['write'] });
    expect([writeOnly.status, writeOnly.body.errors.json.scopes]).toEqual([422, ['Must include "read".']]);
    const past = await request(t.app)
      .post('/users/me/tokens')
      .set(u.bearer())
      .send({ name: 'p', scopes: ['read'], expires_at: new Date(t.clock.now() - 1000).toISOString() });
    expect(past.status).toBe(422);
  });

  it('revoking a token shuts it out on the very next request', async () => {
    const u = await signUp(t.app);
    const { id, token } = await mint(u, { name: 'gone', scopes: ['read'] });
    expect((await request(t.app).get('/subscriptions').set(as(token))).status).toBe(200);
    expect((await request(t.app).delete(`/users/me/tokens/${id}`).set(u.bearer())).status).toBe(200);
    const res = await request(t.app).get('/subscriptions').set(as(token));
    expect([res.status, res.body.error]).toEqual([401, 'token_revoked']);
    expect((await request(t.app).delete(`/users/me/tokens/${id}`).set(u.bearer())).status).toBe(404);
  });

  it('another user cannot revoke your token', async () => {
    const [u, other] = [await signUp(t.app), await signUp(t.app)];
    const { id, token } = await mint(u, { name: 'mine', scopes: ['read'] });
    expect((await request(t.app).delete(`/users/me/tokens/${id}`).set(other.bearer())).status).toBe(404);
    expect((await request(t.app).get('/subscriptions').set(as(token))).status).toBe(200);
  });

  it('a token past its expiry answers 401 token_expired', async () => {
    const u = await signUp(t.app);
    const expiresAt = new Date(t.clock.now() + 3_600_000).toISOString();
    const { token } = await mint(u, { name: 'hour', scopes: ['read'], expires_at: expiresAt });
    expect((await request(t.app).get('/subscriptions').set(as(token))).status).toBe(200);
    t.clock.advance(3_600_000);
    const res = await request(t.app).get('/subscriptions').set(as(token));
    expect([res.status, res.body.error]).toEqual([401, 'token_expired']);
  });

  it('a password change revokes every API token with every session', async () => {
    const u = await signUp(t.app);
    const { token } = await mint(u, { name: 'before', scopes: ['read'] });
    const changed = await request(t.app)
      .post('/users/me/password')
      .set(u.bearer())
      .send({ current_password: u.password, new_password: 'another horse battery' });
    expect(changed.status).toBe(200);
    const res = await request(t.app).get('/subscriptions').set(as(token));
    expect([res.status, res.body.error]).toEqual([401, 'token_revoked']);
  });

  it('an unknown stpat_ secret is 401, never a lookup by anything but its hash', async () => {
    const res = await request(t.app)
      .get('/subscriptions')
      .set(as(`stpat_${'A'.repeat(43)}`));
    expect([res.status, res.body.error]).toEqual([401, 'token_revoked']);
  });
});
