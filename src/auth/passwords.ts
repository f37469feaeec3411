import crypto from 'node:crypto';
import argon2 from 'argon2';

/**
 * argon2id at OWASP's baseline (19 MiB, 2 passes, 1 lane): about 60 ms here, so a login stays quick while
 * an offline guess stays expensive.
 */
const OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, OPTIONS);
}

/** False for a wrong password and for a hash argon2 cannot read (e.g. a placeholder). */
export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  if (!hash.startsWith('$argon2')) return false;
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/**
 * Spends the time of one real verification for an unknown email, so a login's duration does not tell
 * whether the account exists.
 */
export async function burnVerification(password: string): Promise<void> {
  dummyHash ??= hashPassword(crypto.randomBytes(16).toString('hex'));
  await verifyPassword(await dummyHash, password);
}

/**
 * A short keyed digest of the current password hash. A reset token carries it, so the token dies the moment
 * the password changes: single use without a table of spent tokens.
 */
export function passwordFingerprint(secret: string, passwordHash: string): string {
  return crypto.createHmac('sha256', secret).update(passwordHash).digest('base64url').slice(0, 22);
}
