import type { RequestHandler } from 'express';
import multer from 'multer';

/**
 * Parses a multipart/form-data body of a few short text fields into req.body (the one-click unsubscribe: RFC
 * 8058 wants clients to post that encoding); any other request passes untouched. A file, too many or too long
 * fields are 413 before anything is buffered; a malformed body (bad part header, cut short) is 400
 * `malformed_form`, never a 500.
 */
export function multipartForm(): RequestHandler {
  const parse = multer({ limits: { files: 0, fileSize: 0, fields: 10, fieldSize: 1024, parts: 10 } }).none();
  return (req, res, next) =>
    parse(req, res, (err?: unknown) => {
      if (err === undefined) return next();
      const tooLarge = err instanceof multer.MulterError && err.code !== 'LIMIT_FIELD_KEY';
      next(
        Object.assign(new Error((err as Error).message), {
          type: tooLarge ? 'form.too.large' : 'form.parse.failed',
        }),
      );
    });
}
