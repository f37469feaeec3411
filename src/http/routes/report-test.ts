import { Router } from 'express';
import type { Services } from '../../services';
import type { AuthMiddleware } from '../middleware/auth';

/** POST /stats/send-test (developer endpoint): the caller's real monthly report, sent now, to themselves. */
export function reportTestRouter(services: Services, auth: AuthMiddleware): Router {
  const router = Router();
  router.post('/stats/send-test', auth.requireAuth, async (req, res) => {
    const { month } = (req.body ?? {}) as { month?: string };
    const queued = await services.reportTests.sendTest(req.auth!.userId, month);
    res.status(202).json({
      message: `Test report for ${queued.month} queued; it goes to your own address.`,
      workflow_id: queued.workflowId,
    });
  });
  return router;
}
