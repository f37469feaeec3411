import type { ApiToken } from '../../db/models';

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/** A token as its owner sees it in a list: never the secret, never its hash. */
export function presentApiToken(token: ApiToken) {
  return {
    id: token.id,
    name: token.name,
    prefix: token.prefix,
    scopes: token.scopes,
    created_at: token.createdAt.toISOString(),
    expires_at: iso(token.expiresAt),
    last_used_at: iso(token.lastUsedAt),
  };
}

/** The answer to a create: the only time the secret is ever shown. */
export function presentNewApiToken(token: ApiToken, secret: string) {
  return { ...presentApiToken(token), token: secret };
}
