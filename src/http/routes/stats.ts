import { Router } from 'express';
import type { Services } from '../../services';
import type { AuthMiddleware } from '../middleware/auth';
import { presentSummary } from '../presenters/stats-presenter';

/** Monthly spending: ledger for past months, projection for future ones, both for the current month; ETag and 304 as upcoming. */
export function statsRouter(services: Services, auth: AuthMiddleware): Router {
  const router = Router();
  router.get('/stats/summary', auth.requireAuthOrApiToken, async (req, res) => {
    const month = typeof req.query.month === 'string' ? req.query.month : undefined;
    const { etag, value } = await services.cachedReads.summary(
      req.auth!.userId,
      month,
      req.headers['if-none-match'],
    );
    res.set('ETag', etag);
    if (!value) return void res.status(304).end();
    res.json(presentSummary(value));
  });
  return router;
}
