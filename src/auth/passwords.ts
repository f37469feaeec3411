import crypto from 'node:crypto';
import argon2 from 'argon2';
import pLimit from 'p-limit';

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

/** The argon2 operations the services run, behind the process's cap. */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
  burnVerification(password: string): Promise<void>;
}

/**
 * argon2 with at most `concurrency` hashes or verifications running at once in this process; the rest wait
 * in line. argon2 runs on libuv's thread pool, which file and DNS work share: a flood of logins then queues
 * here instead of taking every core and thread from the other requests. Build one per process.
 */
export function createPasswordHasher(concurrency: number): PasswordHasher {
  const limit = pLimit(concurrency);
  return {
    hash: (password) => limit(() => hashPassword(password)),
    verify: (hash, password) => limit(() => verifyPassword(hash, password)),
    burnVerification: (password) => limit(() => burnVerification(password)),
  };
}
