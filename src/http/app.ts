import type { PayloadCodec } from '@temporalio/common';
import cors from 'cors';
import express, { type Express } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import crypto from 'node:crypto';
import swaggerUi from 'swagger-ui-express';
import type { Config } from '../config';
import { serializeError, type Logger } from '../logger';
import type { Services } from '../services';
import { redactUrl } from '../redact';
import { createErrorMiddleware, notFoundHandler } from './error-middleware';
import type { AuthMiddleware } from './middleware/auth';
import { loadOpenApiDocument, openApiValidator } from './openapi';
import { developerRouter } from './routes/developer';
import { reminderTestRouter } from './routes/reminder-test';
import { reportTestRouter } from './routes/report-test';
import { healthRouter, type HealthCheck } from './routes/health';
import { usersRouter } from './routes/users';
import { apiTokensRouter } from './routes/api-tokens';
import { calendarFeedRouter } from './routes/calendar-feed';
import { adminRouter } from './routes/admin';
import { codecBodyParser, codecCors, codecRouter } from './routes/codec';
import { authRouter } from './routes/auth';
import { unsubscribeRouter } from './routes/unsubscribe';
import { paymentsRouter } from './routes/payments';
import { reminderLogsRouter } from './routes/reminder-logs';
import { remindersRouter } from './routes/reminders';
import { statsRouter } from './routes/stats';
import { subscriptionsRouter } from './routes/subscriptions';
import { subscriptionExportRouter } from './routes/subscription-export';
import { subscriptionImportRouter } from './routes/subscription-import';
import { importBody } from './middleware/import-body';
import { channelsRouter } from './routes/channels';
import { multipartForm } from './middleware/multipart-form';

export interface AppDeps {
  config: Readonly<Config>;
  logger: Logger;
  services: Services;
  auth: AuthMiddleware;
  healthChecks: HealthCheck[];
  /** The Temporal payload codec the codec endpoint serves (the client's and the worker's). */
  payloadCodec: PayloadCodec;
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
      // One short access line per request: dumping every request's and response's headers (then redacting
      // them) was a measurable share of a cheap request's cost (bench/api.ts). The URL loses its tokens
      // (emailed links carry them in the query string); error lines logged with req.log get the same.
      serializers: {
        req: (req: { id: unknown; method: string; url: string; remoteAddress?: string }) => ({
          id: req.id,
          method: req.method,
          url: redactUrl(req.url),
          remoteAddress: req.remoteAddress,
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
        err: serializeError,
      },
    }),
  );
  // Swagger UI needs inline scripts; everything else gets helmet's full policy.
  const strictHeaders = helmet();
  const docsHeaders = helmet({ contentSecurityPolicy: false });
  app.use((req, res, next) =>
    (req.path.startsWith('/swagger-ui') ? docsHeaders : strictHeaders)(req, res, next),
  );
  const apiCors = cors({
    origin: config.corsOrigins.includes('*') ? true : config.corsOrigins,
    exposedHeaders: ['X-Total-Count', 'Link', 'Retry-After', 'X-Request-Id'],
  });
  // The codec endpoint answers the Temporal Web UI's origins, not the API clients'.
  const webUiCors = codecCors(config);
  app.use((req, res, next) => (req.path.startsWith('/codec/') ? webUiCors : apiCors)(req, res, next));

  app.use(healthRouter(deps.healthChecks));
  // The contract maps every endpoint and field for a visitor too: served in production only when asked.
  if (config.apiDocs) {
    const document = loadOpenApiDocument();
    app.get('/openapi.json', (_req, res) => {
      res.json(document);
    });
    app.use('/swagger-ui', swaggerUi.serve, swaggerUi.setup(document, { customSiteTitle: 'SubTracker API' }));
  }

  app.use('/codec', codecBodyParser);
  // An import file has a limit of its own, larger than BODY_LIMIT: read before the app's JSON parser.
  app.use('/subscriptions/import', importBody(config.imports.maxBytes));
  app.use(express.json({ limit: config.bodyLimit, strict: true }));
  // Only POST /password/reset accepts a form (its page posts one); the contract answers 415 elsewhere.
  app.use(express.urlencoded({ extended: false, limit: config.bodyLimit, parameterLimit: 10 }));
  // Only POST /unsubscribe declares multipart/form-data (RFC 8058); the contract answers 415 elsewhere.
  app.use(multipartForm());
  app.use(openApiValidator(config.env !== 'production'));

  if (config.devEndpoints) app.use(developerRouter(deps.auth));
  if (config.devEndpoints) app.use(reminderTestRouter(deps.services, deps.auth));
  if (config.devEndpoints) app.use(reportTestRouter(deps.services, deps.auth));
  app.use(authRouter(deps.services));
  app.use(unsubscribeRouter(deps.services));
  app.use(usersRouter(deps.services, deps.auth));
  app.use(apiTokensRouter(deps.services, deps.auth));
  app.use(calendarFeedRouter(config, deps.services, deps.auth));
  app.use(adminRouter(deps.services, deps.auth));
  app.use(codecRouter(config, deps.payloadCodec, deps.auth));
  for (const router of [
    // Before subscriptionsRouter, whose /subscriptions/:id would otherwise take "export" for an id.
    subscriptionExportRouter,
    subscriptionImportRouter,
    subscriptionsRouter,
    paymentsRouter,
    reminderLogsRouter,
    remindersRouter,
    statsRouter,
    channelsRouter,
  ]) {
    app.use(router(deps.services, deps.auth));
  }

  app.use(notFoundHandler);
  app.use(createErrorMiddleware(logger));
  return app;
}
