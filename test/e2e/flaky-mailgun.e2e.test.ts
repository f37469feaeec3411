import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createReminderActivities } from '../../activities/reminder-activities';
import {
  createIds,
  reminderBatchDigest,
  reminderKeyOf,
  type BatchReminder,
  type ReminderBatchResult,
  type ReminderResult,
} from '../../src/temporal/contract';
import { addDays, localDate, reminderInstant } from '../../src/time';
import type { FakeMailgun } from '../helpers/fake-mailgun';
import {
  startMailgunWorkflowHarness,
  type MailgunWorkflowHarness,
} from '../helpers/mailgun-workflow-harness';
import {
  createMemoryReminderStore,
  idleAdvancer,
  reminderLinks,
  reminderOwner,
  reminderSubscription,
  testSendSlots,
} from '../helpers/reminder-fakes';
import { uniquePrefix, uniqueTaskQueue } from '../helpers/temporal';

/**
 * A flaky Mailgun: the fake answers ~30% of requests (seeded, repeatable draws) with 500, 503, 429
 * (Retry-After: 1) or hangs past the client's timeout. The reminder batch workflow with its real activities and
 * the real mailgun.js client, on the time-skipping server (retry backoff and Retry-After waits are skipped):
 * every reminder ends `sent`, exactly one message each, with its attempts counted; a 400 ends `failed` at once.
 */
const N = 60;
const TIMEOUT_MS = 2500;

describe('reminders against a flaky Mailgun (time skipping, real client)', () => {
  const ids = createIds(uniquePrefix('flaky'));
  const taskQueue = uniqueTaskQueue('flaky');
  const memory = createMemoryReminderStore();
  let fake: FakeMailgun;
  let env: TestWorkflowEnvironment;
  let harness: MailgunWorkflowHarness;
  let nextId = 1;
  /** Client-side timeouts seen, and the slowest accepted send (ms). */
  let timeouts = 0;
  let slowest = 0;

  beforeAll(async () => {
    harness = await startMailgunWorkflowHarness({
      taskQueue,
      timeoutMs: TIMEOUT_MS,
      observe: (real) => ({
        async send(message) {
          const started = Date.now();
          try {
            const sent = await real.send(message);
            slowest = Math.max(slowest, Date.now() - started);
            return sent;
          } catch (err) {
            if (/did not answer/.test(String((err as Error).message))) timeouts += 1;
            throw err;
          }
        },
      }),
      activities: (mailer) =>
        createReminderActivities({
          reminders: memory.store,
          advancer: idleAdvancer,
          mailer,
          links: reminderLinks,
          sendSlots: testSendSlots,
        }),
    });
    ({ fake, env } = harness);
  });
  beforeEach(() => {
    fake.reset();
    timeouts = 0;
  });
  afterAll(async () => {
    await harness?.close();
  });

  async function arrange(count: number) {
    const now = await env.currentTimeMs();
    return Array.from({ length: count }, () => {
      const id = nextId++;
      const user = reminderOwner(id, { reminderOffsets: [1] });
      const dueDate = addDays(localDate(now, user.timezone), 3);
      memory.owners.set(id, user);
      memory.subscriptions.set(id, reminderSubscription(id, id, dueDate));
      const input: BatchReminder = {
        subscriptionId: id,
        dueDate,
        offsetDays: 1,
        instantMs: reminderInstant(dueDate, 1, user.reminderHour, user.timezone),
      };
      return { input, key: `rem:${id}:${dueDate}:1` };
    });
  }

  /**
   * Delivers them as the reminder check would: one batch per instant (ids named by instant and contents), then
   * each reminder's outcome from its batch's result. The batches are started together and their results awaited
   * one at a time: the time-skipping server's skip lock breaks ("Unbalanced lock and unlock calls") under
   * concurrent result() calls.
   */
  async function runAll(inputs: BatchReminder[]): Promise<ReminderResult[]> {
    const byInstant = new Map<number, BatchReminder[]>();
    for (const input of inputs)
      byInstant.set(input.instantMs, [...(byInstant.get(input.instantMs) ?? []), input]);
    const handles = await Promise.all(
      [...byInstant].map(([instantMs, reminders]) =>
        env.client.workflow.start('reminderBatchWorkflow', {
          taskQueue,
          workflowId: ids.reminderBatch(instantMs, reminderBatchDigest(reminders)),
          args: [{ reminders }],
        }),
      ),
    );
    const outcomes: ReminderBatchResult['outcomes'] = {};
    for (const handle of handles)
      Object.assign(outcomes, ((await handle.result()) as ReminderBatchResult).outcomes);
    return inputs.map((input) => outcomes[reminderKeyOf(input)]);
  }

  it(`${N} reminders, ~30% of requests failing or hanging: all end sent, one message each, attempts counted`, async () => {
    fake.flaky(0.3, { seed: 20261127 });
    const reminders = await arrange(N);
    const results = await runAll(reminders.map(({ input }) => input));

    const attempts = reminders.map(({ key }) => memory.logs.get(key)?.attempts ?? 0);
    const distribution: Record<number, number> = {};
    for (const a of attempts) distribution[a] = (distribution[a] ?? 0) + 1;
    console.log(
      `flaky run: ${N} reminders, ${fake.requests} requests, injected ${JSON.stringify(fake.flakyCounts)}, ` +
        `attempts distribution ${JSON.stringify(distribution)}, ${timeouts} client timeouts, ` +
        `${fake.messages.length} accepted, slowest accepted send ${slowest} ms`,
    );
    expect(results.every((r) => r.outcome === 'sent')).toBe(true);
    for (const [i, { key }] of reminders.entries()) {
      expect(memory.logs.get(key)).toMatchObject({
        status: 'sent',
        attempts: (results[i] as { attempts: number }).attempts,
      });
    }
    const keys = fake.messages.map((m) => m.variables.idempotency_key);
    expect(new Set(keys).size).toBe(N);
    // Only a client timeout can hide an acceptance (the fake's injected hangs never accept; a slow answer
    // past the timeout may have): duplicates are bounded by the timeouts beyond the injected hangs.
    expect(keys.length - N).toBeLessThanOrEqual(timeouts - (fake.flakyCounts.hang ?? 0));
    expect(attempts.filter((a) => a > 1).length).toBeGreaterThan(0);
    expect(attempts.reduce((sum, a) => sum + a, 0)).toBe(fake.requests);
  }, 80_000);

  it('a 400 ends failed at once: one attempt, one request, no retry', async () => {
    const reminders = await arrange(5);
    fake.failNext(5, { status: 400, body: { message: "'to' parameter is not a valid address" } });
    const results = await runAll(reminders.map(({ input }) => input));

    for (const [i, { key }] of reminders.entries()) {
      expect(results[i]).toMatchObject({ outcome: 'failed', attempts: 1 });
      expect(memory.logs.get(key)).toMatchObject({ status: 'failed', attempts: 1 });
    }
    expect(fake.requests).toBe(5);
    expect(fake.messages).toHaveLength(0);
  }, 30_000);
});
