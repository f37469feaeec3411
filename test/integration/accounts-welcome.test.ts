import type { TestWorkflowEnvironment } from '@temporalio/testing';
import request from 'supertest';
import { createAccountsApp, newAccount, randomIp, type AccountsApp } from '../helpers/accounts';
import { startDevServer, uniquePrefix, uniqueTaskQueue } from '../helpers/temporal';

/** Registration with Temporal up: welcome-{userId} is started and recorded (no worker needed to see it). */
describe('registration starts the welcome workflow', () => {
  let env: TestWorkflowEnvironment;
  let t: AccountsApp;
  const prefix = uniquePrefix('acc-welcome');

  beforeAll(async () => {
    env = await startDevServer();
    t = await createAccountsApp({
      temporalAddress: env.address,
      env: { TEMPORAL_ID_PREFIX: prefix, TEMPORAL_TASK_QUEUE: uniqueTaskQueue('acc-welcome') },
    });
  });
  afterAll(async () => {
    await t?.close();
    await env?.teardown();
  });

  it('starts welcome-{userId} and sets welcome_started_at', async () => {
    const res = await request(t.app).post('/register').set('X-Forwarded-For', randomIp()).send(newAccount());
    expect(res.status).toBe(201);
    const id = res.body.user.id as number;
    const description = await env.client.workflow.getHandle(`${prefix}welcome-${id}`).describe();
    expect(description.type).toBe('welcomeWorkflow');
    const user = await t.runtime.db.models.User.findByPk(id);
    expect(user?.welcomeStartedAt).toBeInstanceOf(Date);
  });
});
