import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError, type ErrorKind, type FieldErrors } from '../errors';
import { isDatabaseUnavailable, isUniqueViolation } from '../db/errors';
import type { Logger } from '../logger';
import { envelope } from './envelope';

const STATUS_BY_KIND: Record<ErrorKind, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  validation: 422,
  too_large: 413,
  rate_limited: 429,
  unavailable: 503,
};

/** The HTTP status of an application error. */
export function statusOf(err: AppError): number {
  return STATUS_BY_KIND[err.kind];
}

interface ValidatorError {
  status: number;
  message: string;
  errors?: { path: string; message: string; errorCode?: string }[];
}

/** Unknown routes answer 404 in the envelope (mounted after every router). */
export const notFoundHandler: RequestHandler = (_req, res) => {
  res
    .status(404)
    .json(envelope(404, 'The requested URL was not found on the server.', { error: 'not_found' }));
};

/** The one place that turns any thrown error into an HTTP answer. Handlers never write 500s themselves. */
export function createErrorMiddleware(logger: Logger): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) return next(err);
    const send = (code: number, message: string, extra: Parameters<typeof envelope>[2] = {}) =>
      res.status(code).json(envelope(code, message, extra));

    if (err instanceof AppError) {
      const status = statusOf(err);
      if (err.details.retryAfterSeconds !== undefined)
        res.set('Retry-After', String(err.details.retryAfterSeconds));
      if (status === 503) req.log?.warn({ err }, 'dependency unavailable');
      return send(status, err.message, { error: err.code, errors: err.details.fields });
    }
    // Body parser failures (express.json / raw-body).
    if (err?.type === 'entity.parse.failed')
      return send(400, 'The request body is not valid JSON.', { error: 'malformed_json' });
    if (err?.type === 'form.parse.failed')
      return send(400, 'The form body is malformed.', { error: 'malformed_form' });
    if (
      err?.type === 'entity.too.large' ||
      err?.type === 'parameters.too.many' ||
      err?.type === 'form.too.large'
    )
      return send(413, 'The request body is too large.', { error: 'payload_too_large' });
    if (err?.type === 'charset.unsupported' || err?.type === 'encoding.unsupported') {
      return send(415, 'Unsupported request encoding.', { error: 'unsupported_media_type' });
    }
    if (isValidatorError(err)) {
      // 405 must name the methods the path has (RFC 9110); the validator lists them.
      const allow = (err as { headers?: Record<string, string> }).headers?.Allow;
      if (err.status === 405 && allow) res.set('Allow', allow);
      return sendValidatorError(err, send);
    }
    if (isUniqueViolation(err)) return send(409, 'This resource already exists.', { error: 'conflict' });
    if (isDatabaseUnavailable(err)) {
      res.set('Retry-After', '5');
      req.log?.warn({ err }, 'database unavailable');
      return send(503, 'The database is unavailable. Try again shortly.', { error: 'service_unavailable' });
    }
    (req.log ?? logger).error({ err }, 'unhandled error');
    return send(500, 'Internal server error.', { error: 'internal_error' });
  };
}

function isValidatorError(err: unknown): err is ValidatorError {
  const e = err as ValidatorError | undefined;
  return typeof e?.status === 'number' && Array.isArray(e.errors) && e.status >= 400 && e.status < 500;
}

function sendValidatorError(
  err: ValidatorError,
  send: (code: number, message: string, extra?: { error?: string; errors?: FieldErrors }) => unknown,
) {
  switch (err.status) {
    case 400:
      return send(422, 'The request is not valid.', { error: 'validation_failed', errors: fieldErrors(err) });
    case 404:
      return send(404, 'The requested URL was not found on the server.', { error: 'not_found' });
    case 405:
      return send(405, 'The method is not allowed for the requested URL.', { error: 'method_not_allowed' });
    case 413:
      return send(413, 'The request body is too large.', { error: 'payload_too_large' });
    case 415:
      return send(415, 'Unsupported content type: send application/json.', {
        error: 'unsupported_media_type',
      });
    default:
      return send(err.status, err.message, { error: 'bad_request' });
  }
}

/** `/body/price` -> json.price, `/query/page` -> query.page, `/params/id` -> path.id. */
function fieldErrors(err: ValidatorError): FieldErrors {
  const out: FieldErrors = {};
  const items = err.errors ?? [];
  // An anyOf's summary ("must match a schema in anyOf") adds nothing when its branches name the fields.
  const named = items.filter((item) => !item.errorCode?.startsWith('anyOf'));
  for (const item of named.length ? named : items) {
    const parts = item.path.replace(/^[./]/, '').split(/[./]/);
    const where = parts.shift();
    const location = where === 'query' ? 'query' : where === 'params' ? 'path' : 'json';
    const field = parts.join('.') || '_schema';
    const bucket = (out[location] ??= {});
    (bucket[field] ??= []).push(item.message);
  }
  return out;
}
