import { Router } from 'express';
import type { Services } from '../../services';
import type { AuthMiddleware } from '../middleware/auth';
import { presentUser } from '../presenters/user-presenter';

/**
 * The seed's `/users/{id}` endpoints, which anyone could call there: always mounted here, admin role only.
 * Mounted after the users router, so `/users/me` never reaches it.
 */
export function adminRouter(services: Services, auth: AuthMiddleware): Router {
  const router = Router();
  const guard = [auth.requireAuth, auth.requireRole('admin')];

  router.get('/users/:id', ...guard, async (req, res) => {
    res.json(presentUser(await services.users.getById(Number(req.params.id))));
  });

  router.delete('/users/:id', ...guard, async (req, res) => {
    await services.users.deleteById(Number(req.params.id));
    res.json({ message: 'User deleted.' });
  });

  return router;
}
