import type { Client } from '@temporalio/client';
import type { RateLimits } from '../auth/rate-limits';
import type { TokenService } from '../auth/tokens';
import type { PasswordHasher } from '../auth/passwords';
import type { Database } from '../db/database';
import { isUniqueViolation } from '../db/errors';
import { normaliseKey } from '../db/normalise-key';
import {
  ConflictError,
  NotFoundError,
  UnauthorizedError,
  UnavailableError,
  ValidationError,
} from '../errors';
import type { Logger } from '../logger';
import type { Mailer } from '../mail/mailer';
import { renderVerificationEmail } from '../mail/templates/account-emails';
import type { WorkflowIds } from '../temporal/contract';
import { startWelcome } from '../temporal/welcome-starter';
import type { Links } from './links';
import type { UserService, UserView } from './user-service';

/** After Temporal failed to answer, registrations skip the welcome start this long (the reminder check does it). */
const TEMPORAL_BACKOFF_MS = 30_000;
const EMAIL_MAX = 254;
const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@.]+$/;

/** Trims an email and checks its shape; 422 on `email` otherwise. */
export function cleanEmail(raw: string): string {
  const email = raw.trim();
  if (email.length > EMAIL_MAX || !EMAIL_SHAPE.test(email)) {
    throw new ValidationError({ json: { email: ['Not a valid email address.'] } });
  }
  return email;
}

/** Registration, email verification, unsubscribe links and account deletion. */
export function createAccountService(deps: {
  db: Database;
  tokens: TokenService;
  links: Links;
  users: UserService;
  limits: RateLimits;
  hasher: PasswordHasher;
  mailer: Mailer;
  logger: Logger;
  temporal: { client: Client; ids: WorkflowIds; taskQueue: string };
  now: () => number;
}) {
  const { User } = deps.db.models;
  let temporalDownUntil = 0;

  /** Starts welcome-{id} and records it; Temporal down only postpones it to the next reminder check. */
  async function welcome(userId: number): Promise<void> {
    if (deps.now() < temporalDownUntil) return;
    const { client, ids, taskQueue } = deps.temporal;
    try {
      await startWelcome(client, ids, taskQueue, userId);
      await User.update(
        { welcomeStartedAt: new Date(deps.now()) },
        { where: { id: userId, welcomeStartedAt: null } },
      );
    } catch (err) {
      if (!(err instanceof UnavailableError)) throw err;
      temporalDownUntil = deps.now() + TEMPORAL_BACKOFF_MS;
      deps.logger.warn(
        { userId },
        'welcome workflow not started: Temporal unavailable; the reminder check will',
      );
    }
  }

  async function register(input: { username: string; email: string; password: string }): Promise<UserView> {
    const email = cleanEmail(input.email);
    const taken = () => new ConflictError('email_taken', 'A user with that email already exists.');
    if (await User.findOne({ where: { emailKey: normaliseKey(email) }, attributes: ['id'] })) throw taken();
    const passwordHash = await deps.hasher.hash(input.password);
    let id: number;
    try {
      ({ id } = await User.create({ username: input.username, email, passwordHash }));
    } catch (err) {
      // Two registrations raced past the check: the unique index on email_key decides.
      if (isUniqueViolation(err)) throw taken();
      throw err;
    }
    await welcome(id);
    return deps.users.getById(id);
  }

  /** Confirms the address the token was issued for; confirming twice is fine. */
  async function verifyEmail(token: string): Promise<UserView> {
    const claims = deps.tokens.verify(token, 'verify_email');
    const user = await User.findByPk(Number(claims.sub));
    if (!user) throw new NotFoundError('User not found.', 'user_not_found');
    if (!user.emailVerifiedAt) await user.update({ emailVerifiedAt: new Date(deps.now()) });
    return deps.users.getById(user.id);
  }

  /** Mails the confirmation link again (rate-limited per user). */
  async function resendVerification(userId: number): Promise<void> {
    const user = await User.findByPk(userId);
    if (!user) throw new NotFoundError('User not found.', 'user_not_found');
    if (user.emailVerifiedAt)
      throw new ConflictError('already_verified', 'The email address is already verified.');
    await deps.limits.verification.consume(String(userId));
    const mail = renderVerificationEmail({ verifyUrl: deps.links.verifyEmail(user.id) });
    try {
      await deps.mailer.send({ to: user.email, ...mail, idempotencyKey: `verify:${user.id}:${deps.now()}` });
    } catch (err) {
      deps.logger.warn({ userId, err: (err as Error).message }, 'verification email not sent');
      throw Object.assign(new UnavailableError('mail', 'The email could not be sent. Try again shortly.'), {
        cause: err,
      });
    }
  }

  async function unsubscribeTarget(token: string) {
    const claims = deps.tokens.verify(token, 'unsubscribe');
    const what = claims.data?.what;
    if (what !== 'reminders' && what !== 'reports') {
      throw new UnauthorizedError('invalid_token', 'The unsubscribe link is not valid.');
    }
    const user = await User.findByPk(Number(claims.sub));
    if (!user) throw new NotFoundError('User not found.', 'user_not_found');
    return { user, what: what as 'reminders' | 'reports' };
  }

  /** What an unsubscribe link would turn off, checked but changed nothing (the confirmation page). */
  async function checkUnsubscribe(token: string): Promise<{ what: 'reminders' | 'reports' }> {
    const { what } = await unsubscribeTarget(token);
    return { what };
  }

  /** An unsubscribe link turns reminders or reports off for its user; no login needed. */
  async function unsubscribe(token: string): Promise<{ what: 'reminders' | 'reports' }> {
    const { user, what } = await unsubscribeTarget(token);
    await user.update(what === 'reminders' ? { remindersEnabled: false } : { monthlyReport: false });
    return { what };
  }

  return { register, verifyEmail, resendVerification, checkUnsubscribe, unsubscribe };
}

export type AccountService = ReturnType<typeof createAccountService>;
