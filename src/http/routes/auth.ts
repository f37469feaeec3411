import { Router } from 'express';
import { AppError, UnauthorizedError } from '../../errors';
import type { Services } from '../../services';
import { statusOf } from '../error-middleware';
import { bearerToken } from '../middleware/auth';
import { byIp, clientInfo, rateLimit } from '../middleware/rate-limit';
import { passwordResetForm, passwordResetOutcome } from '../pages/password-reset-page';
import { presentTokens } from '../presenters/session-presenter';
import { presentUser } from '../presenters/user-presenter';

interface Credentials {
  email: string;
  password: string;
}

function requireBearer(header: string | undefined): string {
  const token = bearerToken(header);
  if (!token)
    throw new UnauthorizedError('authorization_required', 'Request does not contain an access token.');
  return token;
}

/** Registration, login, refresh, logout, email verification and password reset: the seed's paths. */
export function authRouter(services: Services): Router {
  const router = Router();
  const { accounts, sessions, passwords } = services;

  router.post('/register', rateLimit(services.limits.register, byIp), async (req, res) => {
    const user = await accounts.register(req.body as Credentials & { username: string });
    res.status(201).json({ message: 'User created successfully.', user: presentUser(user) });
  });

  router.post('/login', async (req, res) => {
    const { email, password } = req.body as Credentials;
    res.json(presentTokens(await sessions.login(email, password, clientInfo(req))));
  });

  router.post('/refresh', async (req, res) => {
    res.json(presentTokens(await sessions.refresh(requireBearer(req.headers.authorization))));
  });

  router.post('/logout', async (req, res) => {
    await sessions.logout(requireBearer(req.headers.authorization));
    res.json({ message: 'Successfully logged out.' });
  });

  // POST from a client; GET so the link in the welcome email works when opened directly.
  const verify = async (token: string) => {
    const user = await accounts.verifyEmail(token);
    return { message: 'Email address verified.', user: presentUser(user) };
  };
  router.post('/verify-email', async (req, res) => {
    res.json(await verify((req.body as { token: string }).token));
  });
  router.get('/verify-email', async (req, res) => {
    res.json(await verify(String(req.query.token)));
  });

  router.post('/password/forgot', async (req, res) => {
    await passwords.forgot((req.body as { email: string }).email, clientInfo(req));
    res.status(202).json({ message: 'If an account uses this address, a reset link is on its way.' });
  });

  // The emailed link opens a form (GET); the form posts back as application/x-www-form-urlencoded and is
  // answered with a page, a client's JSON with JSON.
  router.get('/password/reset', (req, res) => {
    res.type('html').send(passwordResetForm(String(req.query.token)));
  });
  router.post('/password/reset', async (req, res) => {
    const { token, new_password } = req.body as { token: string; new_password: string };
    const fromForm = Boolean(req.is('urlencoded'));
    try {
      await passwords.reset(token, new_password);
    } catch (err) {
      if (!fromForm || !(err instanceof AppError)) throw err;
      res.status(statusOf(err)).type('html').send(passwordResetOutcome('Password not changed', err.message));
      return;
    }
    const done = 'Password changed. Sign in with the new password.';
    if (fromForm) res.type('html').send(passwordResetOutcome('Password changed', done));
    else res.json({ message: done });
  });

  return router;
}
