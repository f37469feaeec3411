import { Router } from 'express';
import type { Services } from '../../services';
import type { UserSettings } from '../../services/user-service';
import type { AuthMiddleware } from '../middleware/auth';
import { clientInfo } from '../middleware/rate-limit';
import { presentSession, presentTokens } from '../presenters/session-presenter';
import { presentUser } from '../presenters/user-presenter';

interface SettingsBody {
  username?: string;
  timezone?: string;
  reminder_hour?: number;
  reminder_offsets?: number[];
  currency?: string;
  monthly_report?: boolean;
  reminders_enabled?: boolean;
}

function toSettings(body: SettingsBody): UserSettings {
  return {
    username: body.username,
    timezone: body.timezone,
    reminderHour: body.reminder_hour,
    reminderOffsets: body.reminder_offsets,
    currency: body.currency,
    monthlyReport: body.monthly_report,
    remindersEnabled: body.reminders_enabled,
  };
}

/** The signed-in user's own account, password and sessions. */
export function usersRouter(services: Services, auth: AuthMiddleware): Router {
  const router = Router();
  const { requireAuth, requireFresh } = auth;

  router.get('/users/me', auth.requireAuthOrApiToken, async (req, res) => {
    res.json(presentUser(await services.users.getById(req.auth!.userId)));
  });

  router.patch('/users/me', requireAuth, async (req, res) => {
    const user = await services.users.updateSettings(req.auth!.userId, toSettings(req.body as SettingsBody));
    res.json(presentUser(user));
  });

  router.delete('/users/me', requireAuth, requireFresh, async (req, res) => {
    await services.users.deleteById(req.auth!.userId);
    res.json({ message: 'Account deleted.' });
  });

  router.post('/users/me/verification', requireAuth, async (req, res) => {
    await services.accounts.resendVerification(req.auth!.userId);
    res.status(202).json({ message: 'A new confirmation link is on its way.' });
  });

  router.post('/users/me/password', requireAuth, requireFresh, async (req, res) => {
    const body = req.body as { current_password: string; new_password: string };
    const pair = await services.passwords.change(
      req.auth!.userId,
      { currentPassword: body.current_password, newPassword: body.new_password },
      clientInfo(req),
    );
    res.json({ message: 'Password changed. Other sessions were signed out.', ...presentTokens(pair) });
  });

  router.get('/users/me/sessions', requireAuth, async (req, res) => {
    const sessions = await services.sessions.list(req.auth!.userId);
    const current = req.auth?.via === 'session' ? req.auth.sid : '';
    res.json(sessions.map((s) => presentSession(s, current)));
  });

  router.delete('/users/me/sessions/:sid', requireAuth, async (req, res) => {
    await services.sessions.revokeOwn(req.auth!.userId, req.params.sid as string);
    res.json({ message: 'Session revoked.' });
  });

  return router;
}
