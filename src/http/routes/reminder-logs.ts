import { Router } from 'express';
import type { Services } from '../../services';
import type { AuthMiddleware } from '../middleware/auth';
import { readPageQuery, sendPage } from '../pagination';
import { presentReminderLog } from '../presenters/reminder-log-presenter';

/** The seed's reminder-log endpoints: a subscription's logs (newest first), one log, deleting one. */
export function reminderLogsRouter(services: Services, auth: AuthMiddleware): Router {
  const router = Router();

  router.get('/subscriptions/:id/reminder_logs', auth.requireAuthOrApiToken, async (req, res) => {
    const userId = req.auth!.userId;
    const subscription = await services.subscriptions.get(userId, Number(req.params.id));
    const query = readPageQuery(req, '-created_at');
    const page = await services.reminderLogs.listForSubscription(userId, subscription.id, query);
    const channels = await services.reminderLogs.channelsOf(userId, page.items);
    sendPage(req, res, query, page, (log) => presentReminderLog(log, channels.get(log.idempotencyKey)));
  });

  router.get('/reminder_logs/:id', auth.requireAuthOrApiToken, async (req, res) => {
    const userId = req.auth!.userId;
    const log = await services.reminderLogs.get(userId, Number(req.params.id));
    const channels = await services.reminderLogs.channelsOf(userId, [log]);
    res.json(presentReminderLog(log, channels.get(log.idempotencyKey)));
  });

  router.delete('/reminder_logs/:id', auth.requireAuthOrApiToken, async (req, res) => {
    await services.reminderLogs.remove(req.auth!.userId, Number(req.params.id));
    res.json({ message: 'Reminder log deleted.' });
  });

  return router;
}
