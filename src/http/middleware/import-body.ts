import express, { type RequestHandler } from 'express';
import { TooLargeError } from '../../errors';

/**
 * Reads the body of POST /subscriptions/import under its own limit (IMPORT_MAX_BYTES, larger than BODY_LIMIT):
 * JSON parsed, CSV as text. Mounted before the app's JSON parser, which then leaves the body alone. Over the
 * limit is 413 `import_too_large` naming it; malformed JSON is the usual 400.
 */
export function importBody(maxBytes: string): RequestHandler {
  const json = express.json({ limit: maxBytes, strict: true });
  const csv = express.text({ type: 'text/csv', limit: maxBytes });
  const translate = (err: unknown) =>
    (err as { type?: string } | undefined)?.type === 'entity.too.large'
      ? new TooLargeError(
          'import_too_large',
          `The file is larger than ${maxBytes}, the most one import takes.`,
        )
      : err;
  return (req, res, next) => {
    if (req.method !== 'POST') return next();
    json(req, res, (err?: unknown) => {
      if (err) return next(translate(err));
      csv(req, res, (err2?: unknown) => next(err2 ? translate(err2) : undefined));
    });
  };
}
