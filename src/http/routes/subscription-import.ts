import { Router } from 'express';
import type { ImportBody } from '../../import/parse-import';
import type { Services } from '../../services';
import type { AuthMiddleware } from '../middleware/auth';
import { presentImport } from '../presenters/import-presenter';

/** POST /subscriptions/import (202, the import runs as a workflow) and GET /imports/{id} (its report). */
export function subscriptionImportRouter(services: Services, auth: AuthMiddleware): Router {
  const router = Router();

  router.post('/subscriptions/import', auth.requireAuthOrApiToken, async (req, res) => {
    const body: ImportBody = req.is('text/csv')
      ? { kind: 'csv', text: req.body as string }
      : { kind: 'json', document: req.body as unknown };
    const { importId, workflowId } = await services.imports.start(req.auth!.userId, body);
    res.status(202).location(`/imports/${importId}`).json({ import_id: importId, workflow_id: workflowId });
  });

  router.get('/imports/:id', auth.requireAuthOrApiToken, async (req, res) => {
    res.json(presentImport(await services.imports.report(req.auth!.userId, Number(req.params.id))));
  });

  return router;
}
