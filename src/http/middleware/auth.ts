import type { RequestHandler } from 'express';
import type { SessionStore } from '../../auth/session-store';
import type { TokenService } from '../../auth/tokens';
import { ForbiddenError, UnauthorizedError } from '../../errors';
import '../request-context';

/** Reads a Bearer token from the Authorization header. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

/**
 * Authentication middleware shared by every protected route: a valid, unexpired access token whose
 * session is still alive. 401 sub-codes as in the seed: authorization_required, invalid_token,
 * token_expired, token_revoked, fresh_token_required.
 */
export function createAuthMiddleware(deps: {
  tokens: TokenService;
  sessions: SessionStore;
  roleOf: (userId: number) => Promise<string | undefined>;
}) {
  const requireAuth: RequestHandler = async (req, _res, next) => {
    try {
      const token = bearerToken(req.headers.authorization);
      if (!token)
        throw new UnauthorizedError('authorization_required', 'Request does not contain an access token.');
      const claims = deps.tokens.verify(token, 'access');
      if (!claims.sid || !(await deps.sessions.isActive(claims.sid, Number(claims.sub)))) {
        throw new UnauthorizedError('token_revoked', 'The token has been revoked.');
      }
      req.auth = {
        userId: Number(claims.sub),
        sid: claims.sid,
        fresh: claims.fresh === true,
        jti: claims.jti,
      };
      next();
    } catch (err) {
      next(err);
    }
  };

  /** After requireAuth: only an access token fresh from a password login passes. */
  const requireFresh: RequestHandler = (req, _res, next) => {
    if (!req.auth?.fresh)
      return next(new UnauthorizedError('fresh_token_required', 'The token is not fresh.'));
    next();
  };

  /** After requireAuth: the caller must hold the role (403 otherwise). */
  const requireRole =
    (role: 'admin'): RequestHandler =>
    async (req, _res, next) => {
      try {
        const actual = req.auth ? await deps.roleOf(req.auth.userId) : undefined;
        if (actual !== role) throw new ForbiddenError('This endpoint requires the admin role.');
        next();
      } catch (err) {
        next(err);
      }
    };

  return { requireAuth, requireFresh, requireRole };
}

export type AuthMiddleware = ReturnType<typeof createAuthMiddleware>;
