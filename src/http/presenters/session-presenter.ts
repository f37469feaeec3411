import type { SessionRecord } from '../../auth/session-store';
import type { TokenPair } from '../../services/session-service';

/** A session as its owner sees it; `current` marks the one the request came with. */
export function presentSession(session: SessionRecord, currentSid: string) {
  return {
    sid: session.sid,
    current: session.sid === currentSid,
    created_at: session.createdAt.toISOString(),
    last_used_at: session.lastUsedAt.toISOString(),
    expires_at: session.expiresAt.toISOString(),
    user_agent: session.userAgent,
    ip: session.ip,
  };
}

/** Tokens under the seed's field names; `refresh_token` is absent when rotation is off. */
export function presentTokens(pair: Partial<TokenPair> & { accessToken: string }) {
  return {
    access_token: pair.accessToken,
    ...(pair.refreshToken ? { refresh_token: pair.refreshToken } : {}),
  };
}
