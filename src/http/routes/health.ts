import { Router } from 'express';

/** A dependency the API needs; `check` rejects when it is down. */
export interface HealthCheck {
  name: string;
  check: () => Promise<void>;
}

const CHECK_TIMEOUT_MS = 1000;

function withTimeout(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** /healthz: the process answers. /readyz: every dependency answers within a second, else 503 naming it. */
export function healthRouter(checks: HealthCheck[]): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (req, res) => {
    const results = await Promise.all(
      checks.map(async ({ name, check }) => {
        try {
          await withTimeout(check(), CHECK_TIMEOUT_MS);
          return [name, 'ok'] as const;
        } catch (err) {
          req.log?.warn({ dependency: name, err: (err as Error).message }, 'readiness check failed');
          return [name, 'down'] as const;
        }
      }),
    );
    const down = results.filter(([, state]) => state === 'down').map(([name]) => name);
    res.set('Cache-Control', 'no-store');
    res.status(down.length ? 503 : 200).json({
      status: down.length ? 'unavailable' : 'ok',
      ...(down.length ? { message: `${down.join(', ')} ${down.length > 1 ? 'are' : 'is'} down` } : {}),
      checks: Object.fromEntries(results),
    });
  });
  return router;
}
