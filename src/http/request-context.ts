/** What requireAuth learned about the caller. */
export interface AuthContext {
  userId: number;
  sid: string;
  fresh: boolean;
  jti: string;
}

declare module 'express-serve-static-core' {
  interface Request {
    auth?: AuthContext;
  }
}
