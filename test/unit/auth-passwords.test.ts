import {
  burnVerification,
  hashPassword,
  passwordFingerprint,
  verifyPassword,
} from '../../src/auth/passwords';

describe('passwords', () => {
  it('hashes with argon2id and verifies only the right password', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(hash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(hash, 'correct horse battery')).toBe(true);
    expect(await verifyPassword(hash, 'wrong horse battery')).toBe(false);
  });

  it('treats an unreadable hash as a wrong password instead of throwing', async () => {
    expect(await verifyPassword('not-a-real-hash', 'anything')).toBe(false);
    expect(await verifyPassword('$argon2id$garbage', 'anything')).toBe(false);
  });

  it('spends about the time of a real verification for an unknown account', async () => {
    const hash = await hashPassword('x'.repeat(12));
    await burnVerification('warm-up');
    const time = async (fn: () => Promise<unknown>) => {
      const start = process.hrtime.bigint();
      await fn();
      return Number(process.hrtime.bigint() - start) / 1e6;
    };
    // The fastest of a few runs, so a busy machine cannot make one sample look slow.
    const fastest = async (fn: () => Promise<unknown>) => {
      const samples = [];
      for (let i = 0; i < 3; i += 1) samples.push(await time(fn));
      return Math.min(...samples);
    };
    const real = await fastest(() => verifyPassword(hash, 'guess'));
    const dummy = await fastest(() => burnVerification('guess'));
    expect(dummy).toBeGreaterThan(real / 3);
  });

  it('fingerprints a hash so that any password change changes it', async () => {
    const a = await hashPassword('first password');
    const b = await hashPassword('first password');
    expect(passwordFingerprint('k'.repeat(32), a)).toBe(passwordFingerprint('k'.repeat(32), a));
    expect(passwordFingerprint('k'.repeat(32), a)).not.toBe(passwordFingerprint('k'.repeat(32), b));
    expect(passwordFingerprint('k'.repeat(32), a)).not.toBe(passwordFingerprint('j'.repeat(32), a));
  });
});
