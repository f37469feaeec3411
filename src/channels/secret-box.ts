import crypto from 'node:crypto';
import type { PayloadKey } from '../temporal/payload-codec';

/**
 * Channel secrets at rest: AES-256-GCM under the payload codec's key ring (TEMPORAL_PAYLOAD_KEYS), as
 * `{keyId}:{base64(iv || ciphertext || tag)}`. The first key seals; any configured key opens what names it, so
 * keys rotate as the codec's do.
 */
export interface SecretBox {
  seal(value: object): string;
  open<T = Record<string, string>>(sealed: string): T;
}

export function createSecretBox(keys: readonly PayloadKey[]): SecretBox {
  if (!keys.length) throw new Error('createSecretBox needs at least one key');
  const ring = new Map(keys.map(({ id, key }) => [id, Buffer.from(key, 'base64')]));
  const currentId = keys[0].id;
  return {
    seal(value) {
      const iv = crypto.randomBytes(12);
      const cipher = crypto.createCipheriv('aes-256-gcm', ring.get(currentId)!, iv);
      const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
      return `${currentId}:${Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64')}`;
    },
    open<T>(sealed: string): T {
      const at = sealed.lastIndexOf(':');
      const key = ring.get(sealed.slice(0, at));
      if (!key) throw new Error(`channel secret sealed with key "${sealed.slice(0, at)}", not configured`);
      const raw = Buffer.from(sealed.slice(at + 1), 'base64');
      const decipher = crypto.createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(raw.length - 16));
      const plain = Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]);
      return JSON.parse(plain.toString('utf8')) as T;
    },
  };
}
