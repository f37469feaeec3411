import { Router } from 'express';
import type { AuthMiddleware } from '../middleware/auth';

/** The seed's developer endpoints; mounted only when DEV_ENDPOINTS is on and never in production. */
export function developerRouter(auth: AuthMiddleware): Router {
  const router = Router();
  router.get('/guest', (_req, res) => {
    res.json({ message: 'This endpoint is open to everyone.' });
  });
  router.get('/protected', auth.requireAuth, (_req, res) => {
    res.json({ message: 'This is a protected endpoint.' });
  });
  router.get('/fresh-protected', auth.requireAuth, auth.requireFresh, (_req, res) => {
    res.json({ message: 'This is a protected endpoint. You used a fresh token to access it.' });
  });
  router.post('/dev/echo', (req, res) => {
    const { name, date, count } = req.body as { name: string; date: string; count?: number };
    res.json({ name, date, ...(count === undefined ? {} : { count }) });
  });
  return router;
}
