import { hashSecret, newApiTokenSecret } from '../auth/api-token-secret';
import { ApiToken, type ApiTokenScope } from '../db/models';
import { ConflictError, NotFoundError, UnauthorizedError, ValidationError } from '../errors';

/** Enough for every script and dashboard a person runs; past it, old tokens should be revoked. */
export const MAX_API_TOKENS_PER_USER = 20;
/** last_used_at is written at most this often per token. */
const LAST_USED_RESOLUTION_MS = 60_000;

export interface NewApiToken {
  name: string;
  scopes: ApiTokenScope[];
  expiresAt?: Date;
}

/** Who a valid API token speaks for, and what it may do. */
export interface ApiTokenIdentity {
  tokenId: number;
  userId: number;
  scopes: ApiTokenScope[];
}

/** Personal API tokens: created (secret shown once), listed, revoked, and checked on every request. */
export function createApiTokenService(deps: { now: () => number }) {
  const { now } = deps;

  async function create(userId: number, input: NewApiToken): Promise<{ token: ApiToken; secret: string }> {
    if (!input.scopes.includes('read')) {
      throw new ValidationError({ json: { scopes: ['Must include "read".'] } });
    }
    if (input.expiresAt && input.expiresAt.getTime() <= now()) {
      throw new ValidationError({ json: { expires_at: ['Must be in the future.'] } });
    }
    if ((await ApiToken.count({ where: { userId } })) >= MAX_API_TOKENS_PER_USER) {
      throw new ConflictError(
        'api_token_limit',
        `At most ${MAX_API_TOKENS_PER_USER} API tokens; revoke one first.`,
      );
    }
    const secret = newApiTokenSecret();
    const token = await ApiToken.create({
      userId,
      name: input.name.trim(),
      tokenHash: hashSecret(secret),
      prefix: secret.slice(0, 12),
      scopes: [...new Set<ApiTokenScope>(['read', ...input.scopes])],
      expiresAt: input.expiresAt ?? null,
      createdAt: new Date(now()),
    });
    return { token, secret };
  }

  function list(userId: number): Promise<ApiToken[]> {
    return ApiToken.findAll({ where: { userId }, order: [['id', 'DESC']] });
  }

  /** Deleted, so the very next request with it fails. */
  async function revoke(userId: number, id: number): Promise<void> {
    const count = await ApiToken.destroy({ where: { id, userId } });
    if (count === 0) throw new NotFoundError('API token not found.', 'api_token_not_found');
  }

  /** Ends every token of a user: a password change or reset must shut out whoever else held one. */
  async function revokeAll(userId: number): Promise<void> {
    await ApiToken.destroy({ where: { userId } });
  }

  /** The identity behind a Bearer secret, or 401 token_revoked / token_expired. */
  async function authenticate(secret: string): Promise<ApiTokenIdentity> {
    const token = await ApiToken.findOne({ where: { tokenHash: hashSecret(secret) } });
    if (!token)
      throw new UnauthorizedError('token_revoked', 'The API token is not valid or has been revoked.');
    const at = now();
    if (token.expiresAt && token.expiresAt.getTime() <= at) {
      throw new UnauthorizedError('token_expired', 'The API token has expired.');
    }
    if (!token.lastUsedAt || at - token.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
      await ApiToken.update({ lastUsedAt: new Date(at) }, { where: { id: token.id } });
    }
    return { tokenId: token.id, userId: token.userId, scopes: token.scopes };
  }

  return { create, list, revoke, revokeAll, authenticate };
}

export type ApiTokenService = ReturnType<typeof createApiTokenService>;
