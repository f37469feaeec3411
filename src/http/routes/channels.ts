import { Router } from 'express';
import type { Services } from '../../services';
import type { ChannelChanges, NewChannel } from '../../services/channel-service';
import type { AuthMiddleware } from '../middleware/auth';
import { presentChannel } from '../presenters/channel-presenter';

/** The caller's notification channels (webhook, ntfy, Discord, Slack, Telegram). */
export function channelsRouter(services: Services, auth: AuthMiddleware): Router {
  const router = Router();
  const { requireAuth } = auth;

  router.get('/users/me/channels', requireAuth, async (req, res) => {
    res.json((await services.channels.list(req.auth!.userId)).map(presentChannel));
  });

  router.post('/users/me/channels', requireAuth, async (req, res) => {
    const { channel, secret } = await services.channels.create(req.auth!.userId, req.body as NewChannel);
    res.status(201).json(secret ? { ...presentChannel(channel), secret } : presentChannel(channel));
  });

  router.get('/users/me/channels/:id', requireAuth, async (req, res) => {
    res.json(presentChannel(await services.channels.get(req.auth!.userId, Number(req.params.id))));
  });

  router.patch('/users/me/channels/:id', requireAuth, async (req, res) => {
    const channel = await services.channels.update(
      req.auth!.userId,
      Number(req.params.id),
      req.body as ChannelChanges,
    );
    res.json(presentChannel(channel));
  });

  router.post('/users/me/channels/:id/test', requireAuth, async (req, res) => {
    const { workflowId } = await services.channelTests.sendTest(req.auth!.userId, Number(req.params.id));
    res.status(202).json({ message: 'Test message queued.', workflow_id: workflowId });
  });

  router.post('/users/me/channels/:id/rotate-secret', requireAuth, async (req, res) => {
    const rotated = await services.channels.rotateSecret(req.auth!.userId, Number(req.params.id));
    res.json({
      ...presentChannel(rotated.channel),
      secret: rotated.secret,
      previous_secret_expires_at: rotated.previousExpiresAt.toISOString(),
    });
  });

  router.delete('/users/me/channels/:id', requireAuth, async (req, res) => {
    await services.channels.remove(req.auth!.userId, Number(req.params.id));
    res.json({ message: 'Channel deleted.' });
  });

  return router;
}
