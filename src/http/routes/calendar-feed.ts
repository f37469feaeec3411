import crypto from 'node:crypto';
import { Router } from 'express';
import type { Config } from '../../config';
import type { Services } from '../../services';
import type { AuthMiddleware } from '../middleware/auth';
import { presentCalendarFeed } from '../presenters/calendar-feed-presenter';

/** Strong ETag of the exact bytes served. */
const etagOf = (body: string) => `"${crypto.createHash('sha256').update(body).digest('base64url')}"`;

/** The If-None-Match header matches `etag` (a list, weak or strong, or `*`). */
function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t === etag || t === `W/${etag}`;
  });
}

/**
 * The secret calendar-feed URL (login only: the URL is a credential an API token must not mint) and the
 * feed itself, which any calendar app fetches without a login.
 */
export function calendarFeedRouter(
  config: Readonly<Config>,
  services: Services,
  auth: AuthMiddleware,
): Router {
  const router = Router();
  const feedUrl = (token: string) => `${config.appBaseUrl}/calendar-feeds/${token}`;

  router.post('/users/me/calendar-feed', auth.requireAuth, async (req, res) => {
    const token = await services.calendarFeeds.rotate(req.auth!.userId);
    res.status(201).json({ url: feedUrl(token) });
  });

  router.delete('/users/me/calendar-feed', auth.requireAuth, async (req, res) => {
    await services.calendarFeeds.revoke(req.auth!.userId);
    res.json({ message: 'Calendar feed revoked.' });
  });

  router.get('/calendar-feeds/:token', async (req, res) => {
    const content = await services.calendarFeeds.contentOf(req.params.token as string);
    const body = presentCalendarFeed(content, config.appBaseUrl);
    const etag = etagOf(body);
    res.setHeader('ETag', etag);
    // Calendar apps poll; they may keep a copy but must ask again each time (a 304 costs no body).
    res.setHeader('Cache-Control', 'private, no-cache');
    if (matches(req.headers['if-none-match'], etag)) {
      res.status(304).end();
      return;
    }
    res.type('text/calendar; charset=utf-8').send(body);
  });

  return router;
}
