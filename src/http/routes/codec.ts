import cors from 'cors';
import express, { Router, type RequestHandler } from 'express';
import type { Payload, PayloadCodec } from '@temporalio/common';
import type { Config } from '../../config';
import { AppError } from '../../errors';
import type { AuthMiddleware } from '../middleware/auth';

/**
 * Temporal's codec-server protocol, served by the API so the Web UI (and `temporal --codec-endpoint`) can show
 * the payloads the codec encrypted: POST {payloads: [{metadata: {k: base64}, data: base64}]} to /codec/decode
 * or /codec/encode, answered in the same shape. Admin only, except on the embedded defaults of `npm run dev`
 * (config `codec.auth`), where the dev server's Web UI calls it without a token.
 */

/** The Web UI posts pages of a history at once: more room than BODY_LIMIT gives a normal request. */
const CODEC_BODY_LIMIT = '4mb';

interface JsonPayload {
  metadata?: Record<string, string> | null;
  data?: string | null;
}

/** CORS for the browser origins of the Web UI: it sends X-Namespace, and Authorization when it has a token. */
export function codecCors(config: Readonly<Config>): RequestHandler {
  return cors({
    origin: config.codec.corsOrigins.includes('*') ? true : config.codec.corsOrigins,
    methods: ['POST'],
    allowedHeaders: ['Content-Type', 'Authorization', 'X-Namespace'],
    credentials: true,
    maxAge: 600,
  });
}

/** Parses the codec's larger bodies; mounted before the app's JSON parser, which then leaves them alone. */
export const codecBodyParser = express.json({ limit: CODEC_BODY_LIMIT, strict: true });

export function codecRouter(config: Readonly<Config>, codec: PayloadCodec, auth: AuthMiddleware): Router {
  const router = Router();
  const guard = config.codec.auth === 'admin' ? [auth.requireAuth, auth.requireRole('admin')] : [];
  for (const op of ['encode', 'decode'] as const) {
    router.post(`/codec/${op}`, ...guard, async (req, res) => {
      const { payloads } = req.body as { payloads: JsonPayload[] };
      let result: Payload[];
      try {
        result = await codec[op](payloads.map(fromJson));
      } catch (err) {
        throw new AppError('bad_request', `payload_${op}_failed`, (err as Error).message);
      }
      res.json({ payloads: result.map(toJson) });
    });
  }
  return router;
}

function fromJson({ metadata, data }: JsonPayload): Payload {
  return {
    metadata: Object.fromEntries(
      Object.entries(metadata ?? {}).map(([k, v]) => [k, new Uint8Array(Buffer.from(v, 'base64'))]),
    ),
    data: data == null ? undefined : new Uint8Array(Buffer.from(data, 'base64')),
  };
}

function toJson({ metadata, data }: Payload): JsonPayload {
  return {
    metadata: Object.fromEntries(
      Object.entries(metadata ?? {}).map(([k, v]) => [
        k,
        Buffer.from(v ?? new Uint8Array()).toString('base64'),
      ]),
    ),
    ...(data == null ? {} : { data: Buffer.from(data).toString('base64') }),
  };
}
