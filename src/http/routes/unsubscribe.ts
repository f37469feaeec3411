import { Router } from 'express';
import type { Services } from '../../services';

/** The link every reminder and report carries: no login, the signed token names the user and the list. */
export function unsubscribeRouter(services: Services): Router {
  const router = Router();
  router.get('/unsubscribe', async (req, res) => {
    const { what } = await services.accounts.unsubscribe(String(req.query.token));
    const message =
      what === 'reminders'
        ? 'You will no longer receive payment reminders.'
        : 'You will no longer receive monthly reports.';
    res.json({ message, unsubscribed: what });
  });
  return router;
}
