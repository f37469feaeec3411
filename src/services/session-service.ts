import crypto from 'node:crypto';
import type { RateLimits } from '../auth/rate-limits';
import type { SessionRecord, SessionStore } from '../auth/session-store';
import type { TokenService } from '../auth/tokens';
import type { PasswordHasher } from '../auth/passwords';
import type { Database } from '../db/database';
import { normaliseKey } from '../db/normalise-key';
import { NotFoundError, UnauthorizedError } from '../errors';

/** A rotated refresh token presented again within this window gets the same successor (two tabs racing). */
export const REFRESH_REUSE_GRACE_MS = 30_000;

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
}

/** Where a login comes from; kept on the session so the user can recognise it. */
export interface ClientInfo {
  ip?: string;
  userAgent?: string;
}

const revoked = (message = 'The token has been revoked.') => new UnauthorizedError('token_revoked', message);
const invalidCredentials = () => new UnauthorizedError('invalid_credentials', 'Invalid credentials.');

/** The access token's jti follows from the refresh jti, so a successor pair can be signed again identically. */
function accessJtiFor(refreshJti: string): string {
  const hex = crypto.createHash('sha256').update(`access:${refreshJti}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** Logins, refresh-token rotation, logout and the user's list of sessions. `now` is injectable for tests. */
export function createSessionService(deps: {
  db: Database;
  tokens: TokenService;
  sessions: SessionStore;
  limits: RateLimits;
  hasher: PasswordHasher;
  rotation: boolean;
  /** Absolute lifetime of a session from its login; no refresh, rotating or not, carries it further. */
  maxAgeSeconds: number;
  now: () => number;
}) {
  const { tokens, sessions, limits, now } = deps;
  const { User } = deps.db.models;

  /** Signs the pair of a session whose refresh jti is `refreshJti`, issued at `issuedAt` (epoch seconds). */
  function pairFor(
    userId: number,
    sid: string,
    refreshJti: string,
    issuedAt: number,
    fresh: boolean,
  ): TokenPair {
    const refresh = tokens.sign('refresh', userId, { sid, jti: refreshJti, issuedAt });
    const access = tokens.sign('access', userId, { sid, fresh, jti: accessJtiFor(refreshJti), issuedAt });
    return { accessToken: access.token, refreshToken: refresh.token };
  }

  /** When a session opened at `createdAt` must end, if a refresh at `issuedAt` (epoch s) would go further. */
  function sessionExpiry(createdAt: Date, issuedAt: number): Date {
    const byToken = (issuedAt + tokens.ttl.refresh) * 1000;
    return new Date(Math.min(byToken, createdAt.getTime() + deps.maxAgeSeconds * 1000));
  }

  /** Opens a new session for the user and returns its first pair (fresh: it follows a password check). */
  async function open(userId: number, client: ClientInfo = {}): Promise<TokenPair> {
    const sid = crypto.randomUUID();
    const refreshJti = crypto.randomUUID();
    const issuedAt = Math.floor(now() / 1000);
    const createdAt = new Date(issuedAt * 1000);
    const expiresAt = sessionExpiry(createdAt, issuedAt);
    await sessions.create({ sid, userId, refreshJti, expiresAt, createdAt, ...client });
    return pairFor(userId, sid, refreshJti, issuedAt, true);
  }

  /**
   * Spends one point of the (IP, account) budget, then one of the IP's, before any password is checked: the
   * consume is atomic in the store, so a parallel burst gets at most the budget evaluated. A point the IP
   * budget refuses goes back to the pair, so only evaluated attempts count.
   */
  async function spendLoginPoints(pairKey: string, ipKey: string): Promise<void> {
    await limits.loginPair.consume(pairKey);
    try {
      await limits.loginIp.consume(ipKey);
    } catch (err) {
      await limits.loginPair.reward(pairKey);
      throw err;
    }
  }

  /**
   * Email and password -> a fresh pair. Unknown email and wrong password fail alike, in about equal time.
   * Failures are budgeted per (IP, account) and per IP, never per account alone, so nobody else's failures
   * can refuse the owner's correct password from their own address.
   */
  async function login(email: string, password: string, client: ClientInfo = {}): Promise<TokenPair> {
    const emailKey = normaliseKey(email);
    const ipKey = client.ip ?? 'unknown';
    const pairKey = `${ipKey}|${emailKey}`;
    await spendLoginPoints(pairKey, ipKey);
    const user = await User.findOne({ where: { emailKey }, attributes: ['id', 'passwordHash'] });
    const { hasher } = deps;
    const ok = user
      ? await hasher.verify(user.passwordHash, password)
      : (await hasher.burnVerification(password), false);
    if (!user || !ok) throw invalidCredentials();
    // A success is not a failure: its points come back, and the pair's earlier failures are forgiven.
    await Promise.all([limits.loginPair.reset(pairKey), limits.loginIp.reward(ipKey)]);
    return open(user.id, client);
  }

  async function liveSession(sid: string | undefined, userId: number): Promise<SessionRecord> {
    const session = sid ? await sessions.find(sid) : null;
    if (!session || session.userId !== userId || session.revokedAt) throw revoked();
    // The lifetime check also ends sessions opened before it existed, whose expiry a rotation had extended.
    const end = Math.min(
      session.expiresAt.getTime(),
      session.createdAt.getTime() + deps.maxAgeSeconds * 1000,
    );
    if (end <= now()) throw revoked();
    return session;
  }

  /**
   * A refresh token -> a non-fresh access token and, with rotation on, the next refresh token. The previous
   * token presented within the grace gets the same successor; presented later, it revokes the session.
   */
  async function refresh(token: string): Promise<{ accessToken: string; refreshToken?: string }> {
    const claims = tokens.verify(token, 'refresh');
    const userId = Number(claims.sub);
    const session = await liveSession(claims.sid, userId);
    const at = now();
    if (!deps.rotation) {
      if (claims.jti !== session.refreshJti) throw revoked();
      await sessions.touch(session.sid, new Date(at));
      const access = tokens.sign('access', userId, { sid: session.sid, fresh: false });
      return { accessToken: access.token };
    }
    const inGrace = (s: SessionRecord) =>
      s.previousJti === claims.jti && !!s.rotatedAt && at - s.rotatedAt.getTime() <= REFRESH_REUSE_GRACE_MS;
    const successor = (s: SessionRecord) =>
      pairFor(userId, s.sid, s.refreshJti, Math.floor(s.rotatedAt!.getTime() / 1000), false);

    if (claims.jti === session.refreshJti) {
      const next = crypto.randomUUID();
      const issuedAt = Math.floor(at / 1000);
      // The successor inherits the session's absolute end: rotation renews the token, not the login.
      const expiresAt = sessionExpiry(session.createdAt, issuedAt);
      if (await sessions.rotate(session.sid, claims.jti, next, new Date(issuedAt * 1000), expiresAt)) {
        return pairFor(userId, session.sid, next, issuedAt, false);
      }
      // Another request rotated it first: the same answer it got, if still in the grace.
      const raced = await liveSession(session.sid, userId);
      if (inGrace(raced)) return successor(raced);
    } else if (inGrace(session)) {
      return successor(session);
    }
    await sessions.revoke(session.sid);
    throw revoked('The refresh token was already used; the session has been revoked.');
  }

  /** Either token of a session ends it; a token of an ended session answers token_revoked. */
  async function logout(token: string): Promise<void> {
    const claims = tokens.verify(token, ['access', 'refresh']);
    const userId = Number(claims.sub);
    if (!claims.sid || !(await sessions.isActive(claims.sid, userId))) throw revoked();
    await sessions.revoke(claims.sid);
  }

  function list(userId: number): Promise<SessionRecord[]> {
    return sessions.listActive(userId, new Date(now()));
  }

  /** Ends one of the user's own live sessions; anything else is 404. */
  async function revokeOwn(userId: number, sid: string): Promise<void> {
    const session = await sessions.find(sid);
    if (!session || session.userId !== userId || session.revokedAt || session.expiresAt.getTime() <= now()) {
      throw new NotFoundError('Session not found.', 'session_not_found');
    }
    await sessions.revoke(sid);
  }

  return { open, login, refresh, logout, list, revokeOwn, revokeAll: sessions.revokeAllForUser };
}

export type SessionService = ReturnType<typeof createSessionService>;
