import crypto from 'node:crypto';
import { METADATA_ENCODING_KEY, ValueError, type Payload, type PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

/**
 * AES-256-GCM encryption of every Temporal payload (Temporal's PayloadCodec, as in samples-typescript
 * `encryption`): workflow and activity inputs and results, signals, queries, memos and schedule actions reach
 * the server, and its histories, as ciphertext. The whole payload (metadata and data) is serialised and
 * encrypted; the envelope names only the encoding and the id of the key, so keys can rotate: encode with
 * the current key, decode with whichever configured key the payload names.
 */

/** One encryption key: `id` goes into the payload metadata, `key` is 32 bytes in base64. */
export interface PayloadKey {
  id: string;
  key: string;
}

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const text = new TextEncoder();
const fromText = new TextDecoder();

export class AesGcmPayloadCodec implements PayloadCodec {
  private readonly keys: Map<string, Buffer>;
  private readonly currentId: string;

  /** `keys[0]` encrypts; every key decrypts the payloads that name it. */
  constructor(keys: readonly PayloadKey[]) {
    if (!keys.length) throw new ValueError('AesGcmPayloadCodec needs at least one key');
    this.keys = new Map(keys.map(({ id, key }) => [id, decodeKey(id, key)]));
    this.currentId = keys[0].id;
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const key = this.keys.get(this.currentId)!;
    return payloads.map((payload) => ({
      metadata: {
        [METADATA_ENCODING_KEY]: text.encode(ENCRYPTED_ENCODING),
        [KEY_ID_METADATA]: text.encode(this.currentId),
      },
      data: encrypt(temporal.api.common.v1.Payload.encode(payload).finish(), key),
    }));
  }

  /** Payloads that are not ours (written before the codec, or by a plain client) pass through unchanged. */
  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const encoding = payload.metadata?.[METADATA_ENCODING_KEY];
      if (!encoding || fromText.decode(encoding) !== ENCRYPTED_ENCODING) return payload;
      const idBytes = payload.metadata?.[KEY_ID_METADATA];
      if (!idBytes) throw new ValueError('Encrypted payload without an encryption key id');
      const id = fromText.decode(idBytes);
      const key = this.keys.get(id);
      if (!key) throw new ValueError(`Encrypted payload names key "${id}", which is not configured`);
      if (!payload.data) throw new ValueError('Encrypted payload without data');
      return temporal.api.common.v1.Payload.decode(decrypt(payload.data, key)) as Payload;
    });
  }
}

/** The codec for the configured keys (config `temporal.payloadKeys`, first one current). */
export function createPayloadCodec(keys: readonly PayloadKey[]): PayloadCodec {
  return new AesGcmPayloadCodec(keys);
}

function decodeKey(id: string, base64: string): Buffer {
  const key = Buffer.from(base64, 'base64');
  if (key.length !== 32) throw new ValueError(`Payload key "${id}" must be 32 bytes (base64)`);
  return key;
}

/** iv (12 bytes) || ciphertext || GCM tag (16 bytes); a fresh random iv per payload. */
function encrypt(plain: Uint8Array, key: Buffer): Uint8Array {
  const iv = crypto.randomBytes(IV_BYTES);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]);
}

function decrypt(sealed: Uint8Array, key: Buffer): Uint8Array {
  if (sealed.length < IV_BYTES + TAG_BYTES) throw new ValueError('Encrypted payload is too short');
  const bytes = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  const decipher = crypto.createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES));
  decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
  try {
    return Buffer.concat([
      decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)),
      decipher.final(),
    ]);
  } catch {
    throw new ValueError('Encrypted payload failed authentication (wrong key or tampered data)');
  }
}
