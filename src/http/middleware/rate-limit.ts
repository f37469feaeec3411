import type { Request, RequestHandler } from 'express';
import type { Limiter } from '../../auth/rate-limits';
import type { ClientInfo } from '../../services/session-service';

/** The caller's address (behind `trust proxy` as configured) and user agent. */
export function clientInfo(req: Request): ClientInfo {
  return { ip: req.ip, userAgent: req.get('user-agent') };
}

/** Spends one point of `limiter` per request under `keyOf(req)`; 429 with Retry-After once spent. */
export function rateLimit(limiter: Limiter, keyOf: (req: Request) => string): RequestHandler {
  return async (req, _res, next) => {
    try {
      await limiter.consume(keyOf(req));
      next();
    } catch (err) {
      next(err);
    }
  };
}

/** Key by client IP. */
export const byIp = (req: Request) => req.ip ?? 'unknown';
