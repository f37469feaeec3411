import { Router } from 'express';
import type { Services } from '../../services';
import type { AuthMiddleware } from '../middleware/auth';
import { readPageQuery, sendPage } from '../pagination';
import { presentUpcoming } from '../presenters/subscription-presenter';

const DEFAULT_DAYS = 7;

/**
 * Upcoming charges in the next `days` days (owner's zone), one item per occurrence, with reminder states;
 * paginated like every list (`page`, `per_page` up to 100, X-Total-Count, Link), so `days=365` over daily
 * plans answers one bounded page at a time.
 */
export function remindersRouter(services: Services, auth: AuthMiddleware): Router {
  const router = Router();
  router.get('/reminders/upcoming', auth.requireAuthOrApiToken, async (req, res) => {
    const days = req.query.days === undefined ? DEFAULT_DAYS : Number(req.query.days);
    // The order is fixed (due date, name, id); readPageQuery's sort is not used.
    const page = readPageQuery(req, 'due_date');
    const result = await services.upcoming.upcoming(req.auth!.userId, days, page);
    sendPage(req, res, page, result, presentUpcoming);
  });
  return router;
}
