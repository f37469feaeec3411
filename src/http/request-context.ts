import type { ApiTokenScope } from '../db/models';

/** What the auth middleware learned about the caller: a login session, or a personal API token. */
export type AuthContext =
  | { via: 'session'; userId: number; sid: string; fresh: boolean; jti: string }
  | { via: 'api_token'; userId: number; tokenId: number; scopes: ApiTokenScope[] };

declare module 'express-serve-static-core' {
  interface Request {
    auth?: AuthContext;
  }
}
