/** A login session: the database is the source of truth, a cache (Redis or memory) remembers revocations. */
export interface SessionRecord {
  sid: string;
  userId: number;
  refreshJti: string;
  previousJti: string | null;
  rotatedAt: Date | null;
  createdAt: Date;
  lastUsedAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  userAgent: string | null;
  ip: string | null;
}

export interface SessionStore {
  /** Opens a session whose current refresh token has id `refreshJti`. */
  create(input: {
    sid: string;
    userId: number;
    refreshJti: string;
    expiresAt: Date;
    /** The login's time (the service's clock); the absolute lifetime counts from it. Default: now. */
    createdAt?: Date;
    userAgent?: string;
    ip?: string;
  }): Promise<SessionRecord>;
  find(sid: string): Promise<SessionRecord | null>;
  /** True when the session exists for that user, is not revoked and has not expired. */
  isActive(sid: string, userId: number): Promise<boolean>;
  revoke(sid: string): Promise<void>;
  /**
   * Replaces refresh jti `fromJti` by `toJti` (remembering `fromJti` and `at` for the reuse grace). False when
   * another request rotated or revoked the session first: the compare-and-set decides races.
   */
  rotate(sid: string, fromJti: string, toJti: string, at: Date, expiresAt: Date): Promise<boolean>;
  /** Records that the session was used (a refresh) at `at`. */
  touch(sid: string, at: Date): Promise<void>;
  /** The user's sessions that are neither revoked nor expired at `now`, most recently used first. */
  listActive(userId: number, now: Date): Promise<SessionRecord[]>;
  /** Revokes every session of a user, except `exceptSid` when given. */
  revokeAllForUser(userId: number, exceptSid?: string): Promise<void>;
}
