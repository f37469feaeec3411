import type { RateLimits } from '../auth/rate-limits';
import type { TokenService } from '../auth/tokens';
import { passwordFingerprint, type PasswordHasher } from '../auth/passwords';
import type { Database } from '../db/database';
import { normaliseKey } from '../db/normalise-key';
import { NotFoundError, UnauthorizedError } from '../errors';
import type { Logger } from '../logger';
import type { Mailer } from '../mail/mailer';
import { renderPasswordResetEmail } from '../mail/templates/account-emails';
import type { ApiTokenService } from './api-token-service';
import type { ClientInfo, SessionService, TokenPair } from './session-service';

const usedOrInvalid = () =>
  new UnauthorizedError('invalid_token', 'This reset link has already been used or is no longer valid.');

/** Forgotten-password resets and password changes; both end every other session and every API token. */
export function createPasswordService(deps: {
  db: Database;
  tokens: TokenService;
  sessions: SessionService;
  apiTokens: Pick<ApiTokenService, 'revokeAll'>;
  limits: RateLimits;
  hasher: PasswordHasher;
  mailer: Mailer;
  logger: Logger;
  jwtSecret: string;
  appBaseUrl: string;
  now: () => number;
}) {
  const { User } = deps.db.models;
  const fingerprint = (hash: string) => passwordFingerprint(deps.jwtSecret, hash);

  /**
   * Mails a one-hour, single-use reset link when the address has an account. The caller answers the same
   * whether or not it does, and the mail goes out in the background so timing tells nothing either.
   */
  async function forgot(email: string, client: ClientInfo = {}): Promise<void> {
    await deps.limits.forgotIp.consume(client.ip ?? 'unknown');
    const emailKey = normaliseKey(email);
    // The same work for known and unknown addresses: one lookup and one rate-limit write each.
    const [user, allowed] = await Promise.all([
      User.findOne({ where: { emailKey }, attributes: ['id', 'email', 'passwordHash'] }),
      deps.limits.forgotEmail.tryConsume(emailKey),
    ]);
    if (!user || !allowed) return;
    const { token } = deps.tokens.sign('password_reset', user.id, {
      data: { pwd: fingerprint(user.passwordHash) },
    });
    const resetUrl = `${deps.appBaseUrl}/password/reset?token=${encodeURIComponent(token)}`;
    const mail = renderPasswordResetEmail({ resetUrl });
    deps.mailer
      .send({ to: user.email, ...mail, idempotencyKey: `reset:${user.id}:${deps.now()}` })
      .catch((err: unknown) =>
        deps.logger.warn({ userId: user.id, err: (err as Error).message }, 'password reset email not sent'),
      );
  }

  /** Sets a new password from a reset token; the token dies with the old password, every session ends. */
  async function reset(token: string, newPassword: string): Promise<void> {
    const claims = deps.tokens.verify(token, 'password_reset');
    const user = await User.findByPk(Number(claims.sub), {
      attributes: ['id', 'passwordHash', 'emailVerifiedAt'],
    });
    if (!user || claims.data?.pwd !== fingerprint(user.passwordHash)) throw usedOrInvalid();
    const passwordHash = await deps.hasher.hash(newPassword);
    // Compare-and-set on the old hash: of two requests racing with one token, only one wins.
    const [count] = await User.update(
      { passwordHash, emailVerifiedAt: user.emailVerifiedAt ?? new Date(deps.now()) },
      { where: { id: user.id, passwordHash: user.passwordHash } },
    );
    if (count !== 1) throw usedOrInvalid();
    await deps.sessions.revokeAll(user.id);
    await deps.apiTokens.revokeAll(user.id);
  }

  /**
   * Changes the password (current one required), ends every session and opens a new one for the caller.
   * Every attempt spends a point of the user's budget before argon2 runs: a stolen fresh token is neither a
   * way to guess the current password nor a CPU lever.
   */
  async function change(
    userId: number,
    input: { currentPassword: string; newPassword: string },
    client: ClientInfo = {},
  ): Promise<TokenPair> {
    await deps.limits.passwordChange.consume(String(userId));
    const user = await User.findByPk(userId, { attributes: ['id', 'passwordHash'] });
    if (!user) throw new NotFoundError('User not found.', 'user_not_found');
    if (!(await deps.hasher.verify(user.passwordHash, input.currentPassword))) {
      // docs/http-api.md: a wrong password is 401 invalid_credentials, wherever it is checked.
      throw new UnauthorizedError('invalid_credentials', 'The current password is not correct.');
    }
    await user.update({ passwordHash: await deps.hasher.hash(input.newPassword) });
    await deps.sessions.revokeAll(userId);
    await deps.apiTokens.revokeAll(userId);
    return deps.sessions.open(userId, client);
  }

  return { forgot, reset, change };
}

export type PasswordService = ReturnType<typeof createPasswordService>;
