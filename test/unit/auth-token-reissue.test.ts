import jwt from 'jsonwebtoken';
import { createTokenService } from '../../src/auth/tokens';

const tokens = createTokenService({
  secret: 's'.repeat(48),
  issuer: 'subtracker',
  audience: 'subtracker-api',
  accessTtlSeconds: 900,
  refreshTtlSeconds: 3600,
  refreshRotation: true,
});

describe('signing a token again', () => {
  it('with the same jti and issue time gives the same token, byte for byte (the refresh grace relies on it)', () => {
    const a = tokens.sign('refresh', 7, { sid: 's1', jti: 'j1', issuedAt: 1_800_000_000 });
    const b = tokens.sign('refresh', 7, { sid: 's1', jti: 'j1', issuedAt: 1_800_000_000 });
    expect(a.token).toBe(b.token);
    expect(a.expiresAt.getTime()).toBe((1_800_000_000 + 3600) * 1000);
    expect(jwt.decode(a.token)).toMatchObject({
      iat: 1_800_000_000,
      exp: 1_800_003_600,
      jti: 'j1',
      sid: 's1',
    });
  });
});
