import crypto from 'node:crypto';
import type { Runtime } from '../../src/runtime';
import { createTokenService } from '../../src/auth/tokens';
import { createSessionStore } from '../../src/auth/db-session-store';

let counter = 0;

/** Creates a user (with overrides) and a live session, and mints its tokens. */
export async function createUserWithTokens(
  runtime: Runtime,
  overrides: Partial<{
    username: string;
    email: string;
    role: 'user' | 'admin';
    verified: boolean;
    timezone: string;
  }> = {},
) {
  counter += 1;
  const tag = `${process.pid}-${counter}-${crypto.randomUUID().slice(0, 6)}`;
  const { User } = runtime.db.models;
  const user = await User.create({
    username: overrides.username ?? `user-${tag}`,
    email: overrides.email ?? `user-${tag}@example.com`,
    passwordHash: 'not-a-real-hash',
    role: overrides.role ?? 'user',
    timezone: overrides.timezone ?? 'UTC',
    emailVerifiedAt: overrides.verified === false ? null : new Date(),
  });
  const tokens = createTokenService(runtime.config.jwt);
  const sessions = createSessionStore(runtime.db, runtime.cache);
  const sid = crypto.randomUUID();
  const refresh = tokens.sign('refresh', user.id, { sid });
  await sessions.create({ sid, userId: user.id, refreshJti: refresh.jti, expiresAt: refresh.expiresAt });
  const access = tokens.sign('access', user.id, { sid, fresh: true });
  const stale = tokens.sign('access', user.id, { sid, fresh: false });
  return {
    user,
    sid,
    accessToken: access.token,
    staleAccessToken: stale.token,
    refreshToken: refresh.token,
    auth: { Authorization: `Bearer ${access.token}` },
    revoke: () => sessions.revoke(sid),
  };
}
