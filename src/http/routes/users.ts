import { Router } from 'express';
import type { Services } from '../../services';
import type { AuthMiddleware } from '../middleware/auth';
import { presentUser } from '../presenters/user-presenter';

/** The signed-in user's own account. */
export function usersRouter(services: Services, auth: AuthMiddleware): Router {
  const router = Router();
  router.get('/users/me', auth.requireAuth, async (req, res) => {
    const user = await services.users.getById(req.auth!.userId);
    res.json(presentUser(user));
  });
  return router;
}
