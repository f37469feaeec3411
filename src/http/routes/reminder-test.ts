import { Router } from 'express';
import type { Services } from '../../services';
import type { AuthMiddleware } from '../middleware/auth';

/** POST /reminders/send-test (developer endpoint): a test reminder for one of the caller's subscriptions. */
export function reminderTestRouter(services: Services, auth: AuthMiddleware): Router {
  const router = Router();
  router.post('/reminders/send-test', auth.requireAuth, async (req, res) => {
    const { subscription_id: subscriptionId } = req.body as { subscription_id: number };
    const { workflowId } = await services.reminderTests.sendTest(req.auth!.userId, subscriptionId);
    res
      .status(202)
      .json({ message: 'Test reminder queued; it goes to your own address.', workflow_id: workflowId });
  });
  return router;
}
