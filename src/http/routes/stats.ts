import { Router } from 'express';
import type { Services } from '../../services';
import type { AuthMiddleware } from '../middleware/auth';
import { presentSummary } from '../presenters/stats-presenter';

/** Monthly spending: ledger for past months, projection for future ones, both for the current month. */
export function statsRouter(services: Services, auth: AuthMiddleware): Router {
  const router = Router();
  router.get('/stats/summary', auth.requireAuthOrApiToken, async (req, res) => {
    const month = typeof req.query.month === 'string' ? req.query.month : undefined;
    res.json(presentSummary(await services.stats.summary(req.auth!.userId, month)));
  });
  return router;
}
