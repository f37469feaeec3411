import type { TestWorkflowEnvironment } from '@temporalio/testing';
import request from 'supertest';
import { createIds } from '../../src/temporal/contract';
import { applySchedules } from '../../src/temporal/schedules';
import { startWelcome } from '../../src/temporal/welcome-starter';
import type { TestApp } from '../helpers/app';
import { startE2eHarness, type E2eHarness } from '../helpers/e2e-harness';
import type { FakeMailgun } from '../helpers/fake-mailgun';
import { triggerAndAwaitRun } from '../helpers/schedule-runs';
import { uniquePrefix, uniqueTaskQueue } from '../helpers/temporal';

/**
 * The whole path on the Temporal dev server: the app's runtime (real database, real mailgun.js client)
 * against the fake Mailgun, the worker running the real activities, the reminder-check schedule.
 */
describe('welcome email, end to end on the dev server', () => {
  let env: TestWorkflowEnvironment;
  let mailgun: FakeMailgun;
  let t: TestApp;
  let harness: E2eHarness;
  const prefix = uniquePrefix('e2e-welcome');
  const taskQueue = uniqueTaskQueue('e2e-welcome');

  beforeAll(async () => {
    harness = await startE2eHarness(prefix, taskQueue);
    ({ env, mailgun, t } = harness);
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('readiness sees the database and Temporal up', async () => {
    const res = await request(t.app).get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body.checks).toMatchObject({ database: 'ok', temporal: 'ok' });
  });

  it('the reminder-check schedule starts the missing welcome and the user gets exactly one message', async () => {
    const { User } = t.runtime.db.models;
    const user = await User.create({ username: 'ada', email: 'Ada@Example.com', passwordHash: 'x' });
    const ids = createIds(prefix);
    await applySchedules(env.client, {
      ids,
      taskQueue,
      idPrefix: prefix,
      reminderCheckCron: '0 0 1 1 *',
      monthlyReportCron: '0 0 1 1 *',
      exchangeRatesCron: '0 0 1 1 *',
    });
    const schedule = env.client.schedule.getHandle(ids.schedule('reminderCheck'));

    await triggerAndAwaitRun(env.client, schedule);
    const [message] = await mailgun.waitForMessages(1, 30_000);
    expect(message.to).toBe('Ada@Example.com');
    expect(message.subject).toMatch(/welcome/i);
    expect(message.text).toContain('https://subtracker.test/verify-email?token=');
    expect(message.variables.idempotency_key).toBe(`welcome:${user.id}`);
    await expect(env.client.workflow.getHandle(ids.welcome(user.id)).result()).resolves.toMatchObject({
      outcome: 'sent',
    });
    await user.reload();
    expect(user.welcomeStartedAt).toBeInstanceOf(Date);

    // A second check, and a direct start (as registration does), send nothing more.
    await triggerAndAwaitRun(env.client, schedule);
    expect(await startWelcome(env.client, ids, taskQueue, user.id)).toBe('already_started');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(mailgun.messages.filter((m) => m.to === 'Ada@Example.com')).toHaveLength(1);
  });
});
