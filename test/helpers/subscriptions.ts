/**
 * Subscription tests: the real app with a clock the test moves (the services read `now` from it), and small
 * factories. The clocked app shares the test app's database, config and session store.
 */
import request from 'supertest';
import type { Express } from 'express';
import { createRuntime, type Runtime } from '../../src/runtime';
import type { Services } from '../../src/services';
import { createTestApp, type TestApp } from './app';
import { createUserWithTokens } from './users';

export interface ClockedTestApp extends TestApp {
  services: Services;
  /** Sets "now" (an ISO instant such as '2026-03-01T10:00:00Z'). */
  setNow(iso: string): void;
  now(): number;
}

/** A second runtime on the test app's database whose services read the test's clock. */
export async function createClockedTestApp(startIso = '2026-11-27T12:00:00Z'): Promise<ClockedTestApp> {
  const t = await createTestApp();
  let now = Date.parse(startIso);
  const { config, logger, db, mailer } = t.runtime;
  const runtime: Runtime = createRuntime(config, logger, {
    db,
    mailer,
    temporalAddress: '127.0.0.1:1',
    now: () => now,
  });
  await runtime.ready();
  return {
    app: runtime.createApp(),
    runtime,
    services: runtime.services,
    setNow: (iso) => {
      now = Date.parse(iso);
    },
    now: () => now,
    async close() {
      await runtime.close();
      await t.close();
    },
  };
}

/** A valid create body with overrides. */
export function subscriptionBody(overrides: Record<string, unknown> = {}) {
  return {
    name: `Plan ${Math.random().toString(36).slice(2, 8)}`,
    price: '9.99',
    billing_cycle: 'monthly',
    next_payment_date: '2026-12-15',
    category: 'video',
    ...overrides,
  };
}

/** Creates a subscription through the API; fails the test unless it answers 201. */
export async function createSubscription(
  app: Express,
  auth: Record<string, string>,
  overrides: Record<string, unknown> = {},
) {
  const res = await request(app).post('/subscriptions').set(auth).send(subscriptionBody(overrides));
  if (res.status !== 201) throw new Error(`create answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body as Record<string, unknown> & { id: number; next_payment_date: string };
}

/** A user (optionally in a zone) with auth headers. */
export async function createOwner(t: TestApp, timezone = 'UTC') {
  return createUserWithTokens(t.runtime, { timezone });
}
