import crypto from 'node:crypto';
import { DefaultPayloadConverter, type Payload } from '@temporalio/common';
import request from 'supertest';
import { promoteUser } from '../../src/entry/user-promote';
import { createAccountsApp, signUp, type AccountsApp } from '../helpers/accounts';

const converter = new DefaultPayloadConverter();
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const toJson = (p: Payload) => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, b64(v!)])),
  data: b64(p.data!),
});
const fromJsonData = (p: { data: string }) => JSON.parse(Buffer.from(p.data, 'base64').toString('utf8'));
const secret = { to: 'codec.owner@example.com', token: 'tok_codec_1234' };

/** What the worker would have written into a history: the value encrypted with the app's codec. */
async function sealed(t: AccountsApp, value: unknown) {
  const [payload] = await t.runtime.temporal.payloadCodec.encode([converter.toPayload(value)]);
  return toJson(payload);
}

describe('codec endpoint /codec/decode and /codec/encode, outside npm run dev', () => {
  let t: AccountsApp;
  beforeAll(async () => {
    t = await createAccountsApp({ env: { CODEC_CORS_ORIGINS: 'http://localhost:8080' } });
  });
  afterAll(() => t.close());

  it('decodes a history payload for an admin, metadata and data as the workflow wrote them', async () => {
    const admin = await signUp(t.app);
    await promoteUser(t.runtime.db, admin.email);
    const payload = await sealed(t, secret);
    expect(Buffer.from(payload.data, 'base64').includes('codec.owner')).toBe(false);

    const res = await request(t.app)
      .post('/codec/decode')
      .set(admin.bearer())
      .set('X-Namespace', 'default')
      .send({ payloads: [payload] });
    expect(res.status).toBe(200);
    expect(res.body.payloads).toHaveLength(1);
    expect(Buffer.from(res.body.payloads[0].metadata.encoding, 'base64').toString()).toBe('json/plain');
    expect(fromJsonData(res.body.payloads[0])).toEqual(secret);
  });

  it('encodes with the current key and decodes it back, and takes pages larger than BODY_LIMIT', async () => {
    const admin = await signUp(t.app);
    await promoteUser(t.runtime.db, admin.email);
    const big = { body: 'x'.repeat(300_000) };
    const encoded = await request(t.app)
      .post('/codec/encode')
      .set(admin.bearer())
      .send({ payloads: [toJson(converter.toPayload(big))] });
    expect(encoded.status).toBe(200);
    expect(Buffer.from(encoded.body.payloads[0].metadata.encoding, 'base64').toString()).toBe(
      'binary/encrypted',
    );
    const decoded = await request(t.app).post('/codec/decode').set(admin.bearer()).send(encoded.body);
    expect(decoded.status).toBe(200);
    expect(fromJsonData(decoded.body.payloads[0])).toEqual(big);
  });

  it('refuses a signed-in user who is not an admin with 403, and an anonymous caller with 401', async () => {
    const user = await signUp(t.app);
    const body = { payloads: [await sealed(t, secret)] };
    for (const op of ['decode', 'encode']) {
      const forbidden = await request(t.app).post(`/codec/${op}`).set(user.bearer()).send(body);
      expect(forbidden.status).toBe(403);
      expect(forbidden.body).toMatchObject({ code: 403, error: 'forbidden' });
      expect(JSON.stringify(forbidden.body)).not.toContain('codec.owner');
      const anonymous = await request(t.app).post(`/codec/${op}`).send(body);
      expect(anonymous.status).toBe(401);
      expect(anonymous.body.error).toBe('authorization_required');
    }
  });

  it('answers 400, not 500, to a payload naming a key it does not hold', async () => {
    const admin = await signUp(t.app);
    await promoteUser(t.runtime.db, admin.email);
    const foreign = {
      metadata: {
        encoding: b64(Buffer.from('binary/encrypted')),
        'encryption-key-id': b64(Buffer.from('gone')),
      },
      data: crypto.randomBytes(64).toString('base64'),
    };
    const res = await request(t.app)
      .post('/codec/decode')
      .set(admin.bearer())
      .send({ payloads: [foreign] });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 400, error: 'payload_decode_failed' });
  });

  it("answers the Web UI's preflight from CODEC_CORS_ORIGINS only, allowing its X-Namespace and token", async () => {
    const preflight = await request(t.app)
      .options('/codec/decode')
      .set('Origin', 'http://localhost:8080')
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'content-type,x-namespace,authorization');
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('http://localhost:8080');
    expect(preflight.headers['access-control-allow-headers']).toMatch(/X-Namespace/i);
    expect(preflight.headers['access-control-allow-headers']).toMatch(/Authorization/i);
    expect(preflight.headers['access-control-allow-credentials']).toBe('true');

    const stranger = await request(t.app)
      .options('/codec/decode')
      .set('Origin', 'https://evil.example')
      .set('Access-Control-Request-Method', 'POST');
    expect(stranger.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('codec endpoint on the embedded defaults of npm run dev', () => {
  let t: AccountsApp;
  beforeAll(async () => {
    t = await createAccountsApp({ env: { NODE_ENV: 'development', TEMPORAL_UI_PORT: '8233' } });
  });
  afterAll(() => t.close());

  it("is open, so the dev server's Web UI decodes histories without a token, from its own origin", async () => {
    expect(t.runtime.config.codec.auth).toBe('open');
    const res = await request(t.app)
      .post('/codec/decode')
      .set('Origin', 'http://localhost:8233')
      .send({ payloads: [await sealed(t, secret)] });
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe('http://localhost:8233');
    expect(fromJsonData(res.body.payloads[0])).toEqual(secret);
  });
});
