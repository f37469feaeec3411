import crypto from 'node:crypto';

/** Every personal API token starts with this, so the auth middleware can tell it from a JWT at a glance. */
export const API_TOKEN_PREFIX = 'stpat_';

/** A new secret: the prefix and 256 random bits, base64url. Shown to its owner once. */
export function newApiTokenSecret(): string {
  return API_TOKEN_PREFIX + crypto.randomBytes(32).toString('base64url');
}

/** What is stored and looked up for a random secret (API token, feed URL): SHA-256 hex. A slow hash buys nothing against 256 random bits. */
export function hashSecret(secret: string): string {
  return crypto.createHash('sha256').update(secret, 'utf8').digest('hex');
}

export function isApiTokenSecret(bearer: string): boolean {
  return bearer.startsWith(API_TOKEN_PREFIX);
}
