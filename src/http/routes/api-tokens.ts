import { Router } from 'express';
import type { ApiTokenScope } from '../../db/models';
import type { Services } from '../../services';
import type { AuthMiddleware } from '../middleware/auth';
import { presentApiToken, presentNewApiToken } from '../presenters/api-token-presenter';

interface NewTokenBody {
  name: string;
  scopes: ApiTokenScope[];
  expires_at?: string;
}

/**
 * The signed-in user's personal API tokens. Login only (an API token never manages tokens), and creating one
 * needs a fresh login: a stolen 15-minute access token must not turn into a credential that outlives it.
 */
export function apiTokensRouter(services: Services, auth: AuthMiddleware): Router {
  const router = Router();
  const { requireAuth, requireFresh } = auth;

  router.post('/users/me/tokens', requireAuth, requireFresh, async (req, res) => {
    const body = req.body as NewTokenBody;
    const { token, secret } = await services.apiTokens.create(req.auth!.userId, {
      name: body.name,
      scopes: body.scopes,
      expiresAt: body.expires_at ? new Date(body.expires_at) : undefined,
    });
    res.status(201).json(presentNewApiToken(token, secret));
  });

  router.get('/users/me/tokens', requireAuth, async (req, res) => {
    res.json((await services.apiTokens.list(req.auth!.userId)).map(presentApiToken));
  });

  router.delete('/users/me/tokens/:id', requireAuth, async (req, res) => {
    await services.apiTokens.revoke(req.auth!.userId, Number(req.params.id));
    res.json({ message: 'API token revoked.' });
  });

  return router;
}
