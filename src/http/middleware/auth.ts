import type { RequestHandler } from 'express';
import { isApiTokenSecret } from '../../auth/api-token-secret';
import type { SessionStore } from '../../auth/session-store';
import type { TokenService } from '../../auth/tokens';
import { ForbiddenError, UnauthorizedError } from '../../errors';
import type { ApiTokenService } from '../../services/api-token-service';
import '../request-context';

/** Reads a Bearer token from the Authorization header. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

const READ_METHODS = new Set(['GET', 'HEAD']);

/**
 * Authentication middleware shared by every protected route: a valid, unexpired access token whose
 * session is still alive. 401 sub-codes as in the seed: authorization_required, invalid_token,
 * token_expired, token_revoked, fresh_token_required. Personal API tokens pass only `requireAuthOrApiToken`,
 * which data routes opt into; everything else (admin, password, sessions, tokens) stays login-only.
 */
export function createAuthMiddleware(deps: {
  tokens: TokenService;
  sessions: SessionStore;
  apiTokens: Pick<ApiTokenService, 'authenticate'>;
  roleOf: (userId: number) => Promise<string | undefined>;
}) {
  function readBearer(header: string | undefined): string {
    const token = bearerToken(header);
    if (!token)
      throw new UnauthorizedError('authorization_required', 'Request does not contain an access token.');
    return token;
  }

  async function sessionAuth(token: string) {
    const claims = deps.tokens.verify(token, 'access');
    if (!claims.sid || !(await deps.sessions.isActive(claims.sid, Number(claims.sub)))) {
      throw new UnauthorizedError('token_revoked', 'The token has been revoked.');
    }
    return {
      via: 'session' as const,
      userId: Number(claims.sub),
      sid: claims.sid,
      fresh: claims.fresh === true,
      jti: claims.jti,
    };
  }

  const requireAuth: RequestHandler = async (req, _res, next) => {
    try {
      const token = readBearer(req.headers.authorization);
      if (isApiTokenSecret(token)) {
        throw new ForbiddenError(
          'API tokens cannot be used on this endpoint; sign in.',
          'api_token_not_allowed',
        );
      }
      req.auth = await sessionAuth(token);
      next();
    } catch (err) {
      next(err);
    }
  };

  /** A login session, or a personal API token: a read-only token gets 403 on anything but GET and HEAD. */
  const requireAuthOrApiToken: RequestHandler = async (req, _res, next) => {
    try {
      const token = readBearer(req.headers.authorization);
      if (!isApiTokenSecret(token)) {
        req.auth = await sessionAuth(token);
        return next();
      }
      const identity = await deps.apiTokens.authenticate(token);
      if (!READ_METHODS.has(req.method) && !identity.scopes.includes('write')) {
        throw new ForbiddenError('This API token is read-only.', 'insufficient_scope');
      }
      req.auth = { via: 'api_token', ...identity };
      next();
    } catch (err) {
      next(err);
    }
  };

  /** After requireAuth: only an access token fresh from a password login passes. */
  const requireFresh: RequestHandler = (req, _res, next) => {
    if (req.auth?.via !== 'session' || !req.auth.fresh)
      return next(new UnauthorizedError('fresh_token_required', 'The token is not fresh.'));
    next();
  };

  /** After requireAuth: the caller must hold the role (403 otherwise). */
  const requireRole =
    (role: 'admin'): RequestHandler =>
    async (req, _res, next) => {
      try {
        const actual = req.auth?.via === 'session' ? await deps.roleOf(req.auth.userId) : undefined;
        if (actual !== role) throw new ForbiddenError('This endpoint requires the admin role.');
        next();
      } catch (err) {
        next(err);
      }
    };

  return { requireAuth, requireAuthOrApiToken, requireFresh, requireRole };
}

export type AuthMiddleware = ReturnType<typeof createAuthMiddleware>;
