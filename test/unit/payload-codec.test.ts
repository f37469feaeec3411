import crypto from 'node:crypto';
import { DefaultPayloadConverter, type Payload } from '@temporalio/common';
import { AesGcmPayloadCodec, type PayloadKey } from '../../src/temporal/payload-codec';

const converter = new DefaultPayloadConverter();
const key = (id: string): PayloadKey => ({ id, key: crypto.randomBytes(32).toString('base64') });
const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString('utf8');
const secret = {
  to: 'ada.lovelace@example.com',
  unsubscribeUrl: 'https://subtracker.test/unsubscribe?token=tok_5f1c0ffee',
};

describe('AES-GCM payload codec', () => {
  it('round-trips a payload, metadata included, and leaves no plaintext in what it sends', async () => {
    const codec = new AesGcmPayloadCodec([key('k1')]);
    const plain = converter.toPayload(secret);
    const [sealed] = await codec.encode([plain]);
    expect(text(sealed.metadata?.encoding)).toBe('binary/encrypted');
    expect(text(sealed.metadata?.['encryption-key-id'])).toBe('k1');
    const raw = Buffer.concat([sealed.data!, ...Object.values(sealed.metadata ?? {}).map((v) => v!)]);
    for (const needle of ['ada.lovelace', 'example.com', 'tok_5f1c0ffee', 'json/plain']) {
      expect(raw.includes(needle)).toBe(false);
    }
    const [opened] = await codec.decode([sealed]);
    expect(converter.fromPayload(opened)).toEqual(secret);
    expect(text(opened.metadata?.encoding)).toBe('json/plain');
  });

  it('uses a fresh nonce per payload: the same value encrypts to different bytes', async () => {
    const codec = new AesGcmPayloadCodec([key('k1')]);
    const [a, b] = await codec.encode([converter.toPayload(secret), converter.toPayload(secret)]);
    expect(Buffer.from(a.data!).equals(Buffer.from(b.data!))).toBe(false);
  });

  it('after a new key is added first, payloads of the old key still decode and new ones use the new key', async () => {
    const old = key('2026-06');
    const [before] = await new AesGcmPayloadCodec([old]).encode([converter.toPayload(secret)]);
    const rotated = new AesGcmPayloadCodec([key('2026-12'), old]);
    expect(converter.fromPayload((await rotated.decode([before]))[0])).toEqual(secret);
    const [after] = await rotated.encode([converter.toPayload(secret)]);
    expect(text(after.metadata?.['encryption-key-id'])).toBe('2026-12');
    // A process that has only the old key cannot read what the new key wrote: deploy decoders first.
    await expect(new AesGcmPayloadCodec([old]).decode([after])).rejects.toThrow(/key "2026-12"/);
  });

  it('refuses a tampered payload and a key that is not its own', async () => {
    const codec = new AesGcmPayloadCodec([key('k1')]);
    const [sealed] = await codec.encode([converter.toPayload(secret)]);
    const flipped = Buffer.from(sealed.data!);
    flipped[20] ^= 1;
    await expect(codec.decode([{ ...sealed, data: flipped }])).rejects.toThrow(/failed authentication/);
    const sameIdOtherKey = new AesGcmPayloadCodec([key('k1')]);
    await expect(sameIdOtherKey.decode([sealed])).rejects.toThrow(/failed authentication/);
  });

  it('passes through payloads it did not encrypt (written before the codec, or by a plain client)', async () => {
    const codec = new AesGcmPayloadCodec([key('k1')]);
    const plain: Payload = converter.toPayload(secret);
    expect(await codec.decode([plain])).toEqual([plain]);
  });

  it('needs 32-byte keys', () => {
    expect(() => new AesGcmPayloadCodec([{ id: 'short', key: 'c2hvcnQ=' }])).toThrow(/32 bytes/);
    expect(() => new AesGcmPayloadCodec([])).toThrow(/at least one key/);
  });
});
