import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import { Router, type Response } from 'express';
import type { Subscription } from '../../db/models';
import type { Services } from '../../services';
import type { AuthMiddleware } from '../middleware/auth';
import {
  EXPORT_COLUMNS,
  EXPORT_FORMAT,
  presentExportCsvRow,
  presentExportRow,
} from '../presenters/subscription-export-presenter';

function attachment(res: Response, type: string, extension: string) {
  res.setHeader('Content-Type', type);
  res.setHeader('Content-Disposition', `attachment; filename="subscriptions.${extension}"`);
  res.setHeader('Cache-Control', 'no-store');
}

/** Writes `{ format, exported_at, subscriptions: [...] }` one row at a time. */
function jsonDocument(rows: AsyncIterable<Subscription>, exportedAt: string): Readable {
  return Readable.from(
    (async function* chunks() {
      yield `{"format":${JSON.stringify(EXPORT_FORMAT)},"exported_at":${JSON.stringify(exportedAt)},"subscriptions":[`;
      let first = true;
      for await (const sub of rows) {
        yield (first ? '\n' : ',\n') + JSON.stringify(presentExportRow(sub));
        first = false;
      }
      yield '\n]}\n';
    })(),
  );
}

/** GET /subscriptions/export: every subscription of the caller, streamed as CSV or JSON. */
export function subscriptionExportRouter(services: Services, auth: AuthMiddleware): Router {
  const router = Router();

  router.get('/subscriptions/export', auth.requireAuthOrApiToken, async (req, res) => {
    const rows = await services.subscriptionExport.open(req.auth!.userId);
    if (req.query.format === 'csv') {
      attachment(res, 'text/csv; charset=utf-8', 'csv');
      const toCells = new Transform({
        objectMode: true,
        transform(sub: Subscription, _encoding, done) {
          done(null, presentExportCsvRow(sub));
        },
      });
      await pipeline(
        Readable.from(rows),
        toCells,
        stringify({ header: true, columns: [...EXPORT_COLUMNS] }),
        res,
      );
      return;
    }
    attachment(res, 'application/json; charset=utf-8', 'json');
    await pipeline(jsonDocument(rows, new Date().toISOString()), res);
  });

  return router;
}
