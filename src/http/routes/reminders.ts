import { Router } from 'express';
import type { Services } from '../../services';
import type { AuthMiddleware } from '../middleware/auth';
import { presentUpcoming } from '../presenters/subscription-presenter';

const DEFAULT_DAYS = 7;

/** Upcoming charges in the next `days` days (owner's zone), one item per occurrence, with reminder states. */
export function remindersRouter(services: Services, auth: AuthMiddleware): Router {
  const router = Router();
  router.get('/reminders/upcoming', auth.requireAuth, async (req, res) => {
    const days = req.query.days === undefined ? DEFAULT_DAYS : Number(req.query.days);
    const charges = await services.upcoming.upcoming(req.auth!.userId, days);
    res.json(charges.map(presentUpcoming));
  });
  return router;
}
