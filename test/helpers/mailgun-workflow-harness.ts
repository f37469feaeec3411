import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createMailgunMailer } from '../../src/mail/mailgun-mailer';
import type { Mailer } from '../../src/mail/mailer';
import { startFakeMailgun, type FakeMailgun } from './fake-mailgun';
import { startTimeSkipping, startWorker } from './temporal';

export interface MailgunWorkflowHarness {
  fake: FakeMailgun;
  env: TestWorkflowEnvironment;
  /** Stops the worker, then the time-skipping server and the fake Mailgun. */
  close(): Promise<void>;
}

/**
 * Workflow tests that send through the real mailgun.js client: the time-skipping server, the fake Mailgun, and a
 * worker on `taskQueue` running `activities(mailer)`. `observe` wraps the real client (to time or count attempts).
 */
export async function startMailgunWorkflowHarness(options: {
  taskQueue: string;
  activities: (mailer: Mailer) => object;
  observe?: (real: Mailer, env: TestWorkflowEnvironment) => Mailer;
  timeoutMs?: number;
}): Promise<MailgunWorkflowHarness> {
  const [fake, env] = await Promise.all([startFakeMailgun(), startTimeSkipping()]);
  const real = createMailgunMailer({
    apiKey: fake.apiKey,
    domain: 'mg.test',
    url: fake.url,
    from: 'SubTracker <no-reply@mg.test>',
    timeoutMs: options.timeoutMs ?? 2000,
  });
  const mailer = options.observe ? options.observe(real, env) : real;
  const worker = await startWorker(env, options.taskQueue, options.activities(mailer));
  const running = worker.run();
  return {
    fake,
    env,
    async close() {
      worker.shutdown();
      await running;
      await Promise.all([env.teardown(), fake.close()]);
    },
  };
}

/** An observer that records the test server's clock at each send attempt (workflow time, so skipped time counts). */
export function recordAttemptTimes(times: number[]) {
  return (real: Mailer, env: TestWorkflowEnvironment): Mailer => ({
    async send(message) {
      times.push(await env.currentTimeMs());
      return real.send(message);
    },
  });
}
