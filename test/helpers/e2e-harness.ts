import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createWorkerActivities } from '../../src/worker-activities';
import { createTestApp, type TestApp } from './app';
import { startFakeMailgun, type FakeMailgun } from './fake-mailgun';
import { startDevServer, startWorkers } from './temporal';

export interface E2eHarness {
  env: TestWorkflowEnvironment;
  mailgun: FakeMailgun;
  t: TestApp;
  /** Identities of the workers polling the task queue (TEST_TEMPORAL_WORKERS of them). */
  workerIdentities: string[];
  /** Stops the workers, then closes the app, the fake Mailgun and the dev server. */
  close(): Promise<void>;
}

/** The app settings of an end-to-end test: the fake Mailgun, its own task queue and id prefix. */
export function e2eAppEnv(mailgun: FakeMailgun, prefix: string, taskQueue: string): Record<string, string> {
  return {
    MAILGUN_API_KEY: mailgun.apiKey,
    MAILGUN_URL: mailgun.url,
    MAILGUN_DOMAIN: 'mg.test',
    TEMPORAL_TASK_QUEUE: taskQueue,
    TEMPORAL_ID_PREFIX: prefix,
    APP_BASE_URL: 'https://subtracker.test',
  };
}

/**
 * The whole path on a fresh Temporal dev server (or TEST_TEMPORAL_ADDRESS's): the app's runtime (real database,
 * real mailgun.js client) against the fake Mailgun, and TEST_TEMPORAL_WORKERS workers (default one) running the
 * real activities on `taskQueue` with ids under `prefix`.
 */
export async function startE2eHarness(prefix: string, taskQueue: string): Promise<E2eHarness> {
  const [env, mailgun] = await Promise.all([startDevServer(), startFakeMailgun()]);
  const t = await createTestApp({ temporalAddress: env.address, env: e2eAppEnv(mailgun, prefix, taskQueue) });
  const worker = await startWorkers(env, taskQueue, createWorkerActivities(t.runtime));
  const workerDone = worker.run();
  return {
    env,
    mailgun,
    t,
    workerIdentities: worker.workers.map((w) => w.options.identity),
    async close() {
      worker.shutdown();
      await workerDone;
      await t.close();
      await mailgun.close();
      await env.teardown();
    },
  };
}
