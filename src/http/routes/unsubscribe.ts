import { Router, type Request, type Response } from 'express';
import { AppError } from '../../errors';
import type { Services } from '../../services';
import { statusOf } from '../error-middleware';
import { unsubscribeConfirmPage, unsubscribeOutcome } from '../pages/unsubscribe-page';

const DONE: Record<'reminders' | 'reports', string> = {
  reminders: 'You will no longer receive payment reminders.',
  reports: 'You will no longer receive monthly reports.',
};

/** A browser (Accept: text/html first) gets pages; a mail client or API client gets JSON. */
function prefersHtml(req: Request): boolean {
  return req.accepts(['application/json', 'text/html']) === 'text/html';
}

/** A bad link answers a browser with a page, anyone else through the error middleware's envelope. */
function sendErrorPage(req: Request, res: Response, err: unknown): boolean {
  if (!(err instanceof AppError) || !prefersHtml(req)) return false;
  res.status(statusOf(err)).type('html').send(unsubscribeOutcome('This link cannot be used', err.message));
  return true;
}

/**
 * The link every reminder and report carries: no login, the signed token names the user and the list.
 * GET only shows a confirmation (link scanners follow GETs); POST, RFC 8058's one-click request that mail
 * clients send to the List-Unsubscribe URL with `List-Unsubscribe=One-Click`, or the confirmation's
 * button, turns the list off.
 */
export function unsubscribeRouter(services: Services): Router {
  const router = Router();
  router.get('/unsubscribe', async (req, res) => {
    const token = String(req.query.token);
    try {
      const { what } = await services.accounts.checkUnsubscribe(token);
      res.type('html').send(unsubscribeConfirmPage(token, what));
    } catch (err) {
      if (!sendErrorPage(req, res, err)) throw err;
    }
  });
  router.post('/unsubscribe', async (req, res) => {
    try {
      const { what } = await services.accounts.unsubscribe(String(req.query.token));
      if (prefersHtml(req)) res.type('html').send(unsubscribeOutcome('Unsubscribed', DONE[what]));
      else res.json({ message: DONE[what], unsubscribed: what });
    } catch (err) {
      if (!sendErrorPage(req, res, err)) throw err;
    }
  });
  return router;
}
