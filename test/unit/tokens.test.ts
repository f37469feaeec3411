import jwt from 'jsonwebtoken';
import { createTokenService } from '../../src/auth/tokens';

const jwtConfig = {
  secret: 's'.repeat(48),
  issuer: 'subtracker',
  audience: 'subtracker-api',
  accessTtlSeconds: 900,
  refreshTtlSeconds: 3600,
  refreshRotation: true,
};
const tokens = createTokenService(jwtConfig);

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return 'no error';
};

describe('tokens', () => {
  it('signs an access token carrying sid, fresh, jti and the pinned issuer and audience', () => {
    const { token, jti } = tokens.sign('access', 7, { sid: 'sess-1', fresh: true });
    const claims = tokens.verify(token, 'access');
    expect(claims).toMatchObject({ sub: '7', sid: 'sess-1', fresh: true, type: 'access', jti });
    expect(jwt.decode(token, { complete: true })?.header.alg).toBe('HS256');
  });

  it('rejects a refresh token where an access token is required', () => {
    const { token } = tokens.sign('refresh', 7, { sid: 'sess-1' });
    expect(codeOf(() => tokens.verify(token, 'access'))).toBe('invalid_token');
  });

  it('reports an expired token as token_expired', () => {
    const expired = jwt.sign({ type: 'access', sid: 's' }, jwtConfig.secret, {
      algorithm: 'HS256',
      issuer: jwtConfig.issuer,
      audience: jwtConfig.audience,
      subject: '1',
      jwtid: 'j',
      expiresIn: -10,
    });
    expect(codeOf(() => tokens.verify(expired, 'access'))).toBe('token_expired');
  });

  it('rejects another secret, another audience and the none algorithm as invalid_token', () => {
    const other = jwt.sign({ type: 'access', sid: 's' }, 'o'.repeat(48), {
      algorithm: 'HS256',
      issuer: jwtConfig.issuer,
      audience: jwtConfig.audience,
      subject: '1',
      jwtid: 'j',
    });
    const wrongAudience = jwt.sign({ type: 'access', sid: 's' }, jwtConfig.secret, {
      algorithm: 'HS256',
      issuer: jwtConfig.issuer,
      audience: 'elsewhere',
      subject: '1',
      jwtid: 'j',
    });
    const none = jwt.sign(
      { type: 'access', sid: 's', sub: '1', jti: 'j', iss: jwtConfig.issuer, aud: jwtConfig.audience },
      '',
      {
        algorithm: 'none',
      },
    );
    expect(codeOf(() => tokens.verify(other, 'access'))).toBe('invalid_token');
    expect(codeOf(() => tokens.verify(wrongAudience, 'access'))).toBe('invalid_token');
    expect(codeOf(() => tokens.verify(none, 'access'))).toBe('invalid_token');
    expect(codeOf(() => tokens.verify('not.a.jwt', 'access'))).toBe('invalid_token');
  });

  it('never marks a refresh token fresh', () => {
    const { token } = tokens.sign('refresh', 3, { sid: 's', fresh: true });
    expect(tokens.verify(token, 'refresh').fresh).toBeUndefined();
  });
});
