import { Router } from 'express';
import type { Services } from '../../services';
import type { PaymentSort } from '../../services/subscription-ledger';
import type { AuthMiddleware } from '../middleware/auth';
import { readPageQuery, sendPage } from '../pagination';
import { presentPayment } from '../presenters/payment-presenter';

/** The ledger: charges that came due, per subscription or per month (newest first by default). */
export function paymentsRouter(services: Services, auth: AuthMiddleware): Router {
  const router = Router();

  router.get('/subscriptions/:id/payments', auth.requireAuthOrApiToken, async (req, res) => {
    const userId = req.auth!.userId;
    const subscription = await services.subscriptions.get(userId, Number(req.params.id));
    const query = readPageQuery<PaymentSort>(req, '-due_date');
    const page = await services.ledger.list(userId, query, { subscriptionId: subscription.id });
    sendPage(req, res, query, page, presentPayment);
  });

  router.get('/payments', auth.requireAuthOrApiToken, async (req, res) => {
    const query = readPageQuery<PaymentSort>(req, '-due_date');
    const month = typeof req.query.month === 'string' ? req.query.month : undefined;
    const page = await services.ledger.list(req.auth!.userId, query, { month });
    sendPage(req, res, query, page, presentPayment);
  });

  return router;
}
