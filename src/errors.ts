/**
 * The one error hierarchy. It knows nothing of HTTP or Temporal: the HTTP error middleware maps `kind`
 * to a status, activities map `retryable` to Temporal failures.
 */
export type ErrorKind =
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'validation'
  | 'too_large'
  | 'rate_limited'
  | 'unavailable';

export type FieldErrors = Partial<Record<'json' | 'query' | 'path', Record<string, string[]>>>;

export class AppError extends Error {
  constructor(
    public readonly kind: ErrorKind,
    /** Stable machine-readable id, e.g. `email_taken`, `token_revoked`. */
    public readonly code: string,
    message: string,
    public readonly details: { fields?: FieldErrors; retryAfterSeconds?: number } = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundError extends AppError {
  constructor(message = 'Resource not found', code = 'not_found') {
    super('not_found', code, message);
  }
}

export class ConflictError extends AppError {
  constructor(code: string, message: string) {
    super('conflict', code, message);
  }
}

export class ValidationError extends AppError {
  constructor(fields: FieldErrors, message = 'Validation failed', code = 'validation_failed') {
    super('validation', code, message, { fields });
  }
}

export class UnauthorizedError extends AppError {
  constructor(code: string, message: string) {
    super('unauthorized', code, message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'You are not allowed to do this', code = 'forbidden') {
    super('forbidden', code, message);
  }
}

/** A request body over a limit the caller can act on (a smaller file). */
export class TooLargeError extends AppError {
  constructor(code: string, message: string) {
    super('too_large', code, message);
  }
}

export class RateLimitedError extends AppError {
  constructor(retryAfterSeconds: number, message = 'Too many requests') {
    super('rate_limited', 'rate_limited', message, { retryAfterSeconds });
  }
}

/** A dependency (database, Redis, Temporal, mail) is down or too slow. */
export class UnavailableError extends AppError {
  constructor(
    public readonly dependency: string,
    message = `${dependency} is unavailable`,
    retryAfterSeconds = 5,
  ) {
    super('unavailable', 'service_unavailable', message, { retryAfterSeconds });
  }
}
