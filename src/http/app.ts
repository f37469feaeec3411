import cors from 'cors';
import express, { type Express } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import crypto from 'node:crypto';
import swaggerUi from 'swagger-ui-express';
import type { Config } from '../config';
import type { Logger } from '../logger';
import type { Services } from '../services';
import { createErrorMiddleware, notFoundHandler } from './error-middleware';
import type { AuthMiddleware } from './middleware/auth';
import { loadOpenApiDocument, openApiValidator } from './openapi';
import { developerRouter } from './routes/developer';
import { healthRouter, type HealthCheck } from './routes/health';
import { usersRouter } from './routes/users';

export interface AppDeps {
  config: Readonly<Config>;
  logger: Logger;
  services: Services;
  auth: AuthMiddleware;
  healthChecks: HealthCheck[];
}

/** Builds the Express app without listening: health and docs first, then the contract, routes, errors. */
export function createApp(deps: AppDeps): Express {
  const { config, logger } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.set('query parser', 'extended');

  app.use(
    pinoHttp({
      logger,
      genReqId: (req, res) => {
        const incoming = req.headers['x-request-id'];
        const id =
          typeof incoming === 'string' && /^[\w-]{1,64}$/.test(incoming) ? incoming : crypto.randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
    }),
  );
  // Swagger UI needs inline scripts; everything else gets helmet's full policy.
  const strictHeaders = helmet();
  const docsHeaders = helmet({ contentSecurityPolicy: false });
  app.use((req, res, next) =>
    (req.path.startsWith('/swagger-ui') ? docsHeaders : strictHeaders)(req, res, next),
  );
  app.use(
    cors({
      origin: config.corsOrigins.includes('*') ? true : config.corsOrigins,
      exposedHeaders: ['X-Total-Count', 'Link', 'Retry-After', 'X-Request-Id'],
    }),
  );

  app.use(healthRouter(deps.healthChecks));
  const document = loadOpenApiDocument();
  app.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  app.use('/swagger-ui', swaggerUi.serve, swaggerUi.setup(document, { customSiteTitle: 'SubTracker API' }));

  app.use(express.json({ limit: config.bodyLimit, strict: true }));
  app.use(openApiValidator(config.env !== 'production'));

  if (config.devEndpoints) app.use(developerRouter(deps.auth));
  app.use(usersRouter(deps.services, deps.auth));

  app.use(notFoundHandler);
  app.use(createErrorMiddleware(logger));
  return app;
}
