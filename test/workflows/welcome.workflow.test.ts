import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createWelcomeActivities } from '../../activities/welcome-activities';
import { createIds, type WelcomeResult } from '../../src/temporal/contract';
import type { FakeMailgun } from '../helpers/fake-mailgun';
import {
  recordAttemptTimes,
  startMailgunWorkflowHarness,
  type MailgunWorkflowHarness,
} from '../helpers/mailgun-workflow-harness';
import { eventually } from '../helpers/accounts';
import { createSendHold } from '../helpers/send-hold';
import { createMemoryWelcomeStore, testLinks, welcomeUser } from '../helpers/temporal-fakes';
import { uniquePrefix, uniqueTaskQueue } from '../helpers/temporal';

const MINUTE = 60_000;

describe('welcomeWorkflow (time skipping, real Mailgun client against the fake Mailgun)', () => {
  const ids = createIds(uniquePrefix('welcome'));
  const taskQueue = uniqueTaskQueue();
  const users = createMemoryWelcomeStore();
  /** Server time at which each send attempt ran (workflow time, so skipped time counts). */
  const attemptTimes: number[] = [];
  const hold = createSendHold();
  let fake: FakeMailgun;
  let env: TestWorkflowEnvironment;
  let harness: MailgunWorkflowHarness;
  let nextUserId = 1;

  beforeAll(async () => {
    harness = await startMailgunWorkflowHarness({
      taskQueue,
      // The test server's clock, read when each attempt runs. (ActivityInfo's currentAttemptScheduledTimestampMs
      // is stamped before the retry backoff on this server, so it cannot show the delay.)
      observe: (real, testEnv) => hold.wrap(recordAttemptTimes(attemptTimes)(real, testEnv)),
      activities: (mailer) =>
        createWelcomeActivities({
          store: users.store,
          mailer,
          links: testLinks,
          appBaseUrl: 'http://app.test',
        }),
    });
    ({ fake, env } = harness);
  });
  beforeEach(() => {
    fake.reset();
    attemptTimes.length = 0;
    users.outage.clear();
  });
  afterAll(async () => {
    await harness?.close();
  });

  /** Adds a user (override what the test is about) and runs their welcome workflow to its result. */
  async function welcome(
    overrides: Parameters<typeof welcomeUser>[1] = {},
    remove = false,
  ): Promise<WelcomeResult> {
    const user = welcomeUser(nextUserId++, overrides);
    if (!remove) users.rows.set(user.id, user);
    return env.client.workflow.execute('welcomeWorkflow', {
      taskQueue,
      workflowId: ids.welcome(user.id),
      args: [{ userId: user.id }],
    });
  }

  it('sends one email with the verification link and the idempotency key, and no username', async () => {
    const result = await welcome({ username: '<b>Ann & Bob</b>', email: 'ann@example.com' });

    expect(result).toEqual({ outcome: 'sent', providerMessageId: fake.messages[0].id, attempts: 1 });
    expect(fake.messages).toHaveLength(1);
    const [message] = fake.messages;
    expect(message.to).toBe('ann@example.com');
    expect(message.variables).toEqual({ idempotency_key: `welcome:${nextUserId - 1}` });
    expect(message.text).toContain(testLinks.verifyEmail(nextUserId - 1));
    // The address is not confirmed yet: nothing the registrant typed goes to it.
    expect(`${message.subject}\n${message.text}\n${message.html}`).not.toMatch(/Ann|Bob/);
  });

  it('retries 503 answers with backoff and sends exactly once on the third attempt', async () => {
    fake.failNext(2, { status: 503 });
    const result = await welcome();

    expect(result).toMatchObject({ outcome: 'sent', attempts: 3 });
    expect(fake.requests).toBe(3);
    expect(fake.messages).toHaveLength(1);
    // MAIL_RETRY: 5 s, then 10 s.
    expect(attemptTimes[1] - attemptTimes[0]).toBeGreaterThanOrEqual(5_000);
    expect(attemptTimes[2] - attemptTimes[1]).toBeGreaterThanOrEqual(10_000);
  });

  it('gives up at once on a 400: outcome failed, one request, no retry', async () => {
    fake.failNext(1, { status: 400, body: { message: "'to' parameter is not a valid address" } });
    const result = await welcome();

    expect(result).toEqual({ outcome: 'failed', attempts: 1, error: expect.stringContaining('400') });
    expect(fake.requests).toBe(1);
    expect(fake.messages).toHaveLength(0);
  });

  it('waits out a 429 Retry-After of 120 s before the next attempt', async () => {
    fake.failNext(1, { status: 429, retryAfter: 120 });
    const result = await welcome();

    expect(result).toMatchObject({ outcome: 'sent', attempts: 2 });
    expect(attemptTimes).toHaveLength(2);
    expect(attemptTimes[1] - attemptTimes[0]).toBeGreaterThanOrEqual(120_000);
  });

  it('reports failed with the attempts made when every retry is exhausted', async () => {
    fake.failNext(8, { status: 503 });
    const result = await welcome();

    expect(result).toEqual({ outcome: 'failed', attempts: 8, error: expect.stringContaining('503') });
    expect(fake.requests).toBe(8);
    expect(fake.messages).toHaveLength(0);
  });

  it('reports the attempts made when the send ends on its 2 h schedule-to-close (long 429 Retry-After)', async () => {
    fake.failNext(5, { status: 429, retryAfter: 3_000 });
    const result = await welcome();

    // Attempts at 0, 50 and 100 min; the next, at 150 min, would pass the 2 h budget: the server times it out.
    expect(result).toEqual({ outcome: 'failed', attempts: 3, error: expect.stringContaining('429') });
    expect(result).toMatchObject({ error: expect.stringContaining('time budget ran out') });
    expect(fake.requests).toBe(3);
    expect(fake.messages).toHaveLength(0);
  });

  it('reports the attempts made when the 2 h schedule-to-close ends an attempt in flight', async () => {
    // Attempts at 0, 5 s and 15 s; the third's Retry-After puts the fourth some 20 s before the budget ends.
    fake.failNext(2, { status: 503 });
    fake.failNext(1, { status: 429, retryAfter: 7_165 });
    hold.holdNth(4);
    try {
      const running = welcome();
      await eventually(() => hold.held() || undefined, 30_000);
      // The server skips no time while an attempt runs: move its clock past the budget by hand.
      await env.sleep(MINUTE);
      const result = await running;

      // The server's TimeoutFailure carries the third attempt's failure as its cause.
      expect(result).toEqual({
        outcome: 'failed',
        attempts: 3,
        error: expect.stringMatching(/429.*time budget ran out/),
      });
      expect(fake.requests).toBe(3);
      expect(fake.messages).toHaveLength(0);
    } finally {
      hold.release();
    }
  });

  it('a database outage of 5 minutes only delays the welcome: sent once when the database is back', async () => {
    const downMs = await env.currentTimeMs();
    users.outage.during(() => env.currentTimeMs(), downMs, downMs + 5 * MINUTE);

    const result = await welcome();

    expect(result).toMatchObject({ outcome: 'sent', attempts: 1 });
    expect(users.outage.refused).toBeGreaterThan(0);
    expect(fake.messages).toHaveLength(1);
    expect(attemptTimes).toHaveLength(1);
    expect(attemptTimes[0]).toBeGreaterThanOrEqual(downMs + 5 * MINUTE);
  });

  it('skips a deleted user without sending anything', async () => {
    expect(await welcome({}, true)).toEqual({ outcome: 'skipped', reason: 'deleted' });
    expect(fake.requests).toBe(0);
  });

  it('skips a user who already verified their address', async () => {
    expect(await welcome({ emailVerified: true })).toEqual({
      outcome: 'skipped',
      reason: 'already_verified',
    });
    expect(fake.requests).toBe(0);
  });
});
