import { Router } from 'express';
import type { Services } from '../../services';
import type { AuthMiddleware } from '../middleware/auth';
import { readPageQuery, sendPage } from '../pagination';
import { presentUpcoming } from '../presenters/subscription-presenter';

const DEFAULT_DAYS = 7;

/**
 * Upcoming charges in the next `days` days (owner's zone), one item per occurrence, with reminder states;
 * paginated like every list (`page`, `per_page` up to 100, X-Total-Count, Link), so `days=365` over daily
 * plans answers one bounded page at a time. The ETag is the owner's data tag (src/services/cached-reads.ts):
 * a matching If-None-Match answers 304.
 */
export function remindersRouter(services: Services, auth: AuthMiddleware): Router {
  const router = Router();
  router.get('/reminders/upcoming', auth.requireAuthOrApiToken, async (req, res) => {
    const days = req.query.days === undefined ? DEFAULT_DAYS : Number(req.query.days);
    // The order is fixed (due date, name, id); readPageQuery's sort is not used.
    const page = readPageQuery(req, 'due_date');
    const { etag, value } = await services.cachedReads.upcoming(
      req.auth!.userId,
      days,
      page,
      req.headers['if-none-match'],
    );
    res.set('ETag', etag);
    if (!value) return void res.status(304).end();
    sendPage(req, res, page, value, presentUpcoming);
  });
  return router;
}
