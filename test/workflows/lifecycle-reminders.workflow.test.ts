import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { createHousekeepingActivities } from '../../activities/housekeeping-activities';
import { createReminderActivities } from '../../activities/reminder-activities';
import { createWelcomeActivities } from '../../activities/welcome-activities';
import {
  createIds,
  reminderBatchDigest,
  type BatchReminder,
  type ReminderBatchResult,
  type ReminderCheckCounts,
} from '../../src/temporal/contract';
import { addDays, localDate } from '../../src/time';
import {
  createMemoryHousekeeping,
  createMemoryReminderStore,
  idleAdvancer,
  reminderLinks,
  reminderOwner,
  reminderSubscription,
  testSendSlots,
} from '../helpers/reminder-fakes';
import { createMemoryWelcomeStore, createRecordingMailer } from '../helpers/temporal-fakes';
import { startTimeSkipping, startWorker, uniquePrefix, uniqueTaskQueue } from '../helpers/temporal';

const HOUR = 3_600_000;

describe('trial-end and cancel-by reminders through the check and the batch delivery (time skipping)', () => {
  const prefix = uniquePrefix('trial');
  const ids = createIds(prefix);
  const taskQueue = uniqueTaskQueue();
  const memory = createMemoryReminderStore();
  const mail = createRecordingMailer();
  let env: TestWorkflowEnvironment;
  let worker: Worker | undefined;
  let running: Promise<void>;

  beforeAll(async () => {
    env = await startTimeSkipping();
    // The check's other steps (welcome, prune) run on empty fakes.
    const activities = {
      ...createWelcomeActivities({
        store: createMemoryWelcomeStore().store,
        mailer: mail.mailer,
        links: reminderLinks,
        appBaseUrl: 'http://app.test',
      }),
      ...createReminderActivities({
        reminders: memory.store,
        advancer: idleAdvancer,
        mailer: mail.mailer,
        links: reminderLinks,
        sendSlots: testSendSlots,
      }),
      ...createHousekeepingActivities({ housekeeping: createMemoryHousekeeping().store }),
    };
    worker = await startWorker(env, taskQueue, activities);
    running = worker.run();
  });
  afterAll(async () => {
    if (worker) {
      worker.shutdown();
      await running;
    }
    await env?.teardown();
  });

  const check = (name: string): Promise<ReminderCheckCounts> =>
    env.client.workflow.execute('reminderCheckWorkflow', {
      taskQueue,
      workflowId: `${prefix}${name}`,
      args: [{ idPrefix: prefix }],
    });

  it('sends the trial end and the cancel-by deadline once under their own keys, beside a payment reminder', async () => {
    const now = await env.currentTimeMs();
    // Both fire at the top of the next hour (offset 0), in a zone keeping this hour and the next on one date.
    const zone = new Date(now).getUTCHours() >= 22 ? 'Etc/GMT+3' : 'UTC';
    const nextHour = Math.floor(now / HOUR) * HOUR + HOUR;
    const dueDate = localDate(nextHour, zone);
    const hour = Number(
      new Date(nextHour).toLocaleString('en-GB', { timeZone: zone, hour: '2-digit', hourCycle: 'h23' }),
    );
    for (const id of [1, 2, 3]) {
      memory.owners.set(id, reminderOwner(id, { timezone: zone, reminderHour: hour, reminderOffsets: [0] }));
    }
    memory.subscriptions.set(
      1,
      reminderSubscription(1, 1, dueDate, { name: 'Streamly', priceMinor: 1299, trialEndsOn: dueDate }),
    );
    memory.subscriptions.set(2, reminderSubscription(2, 2, dueDate, { name: 'Gym' }));
    // A yearly plan renewing months later whose cancel-by deadline is today.
    const renewal = addDays(dueDate, 200);
    memory.subscriptions.set(
      3,
      reminderSubscription(3, 3, renewal, { name: 'Insurance', billingCycle: 'yearly', cancelBy: dueDate }),
    );
    const cancelByKey = `cancelby:3:${dueDate}:0`;
    const trialKey = `trial:1:${dueDate}:0`;
    const chargeKey = `rem:2:${dueDate}:0`;

    expect(await check('first')).toMatchObject({ reminderBatchesStarted: 1, remindersStarted: 3 });
    const batchId = memory.batches.get(trialKey)!;
    expect(memory.batches.get(chargeKey)).toBe(batchId);
    const { outcomes } = (await env.client.workflow.getHandle(batchId).result()) as ReminderBatchResult;

    expect(outcomes[trialKey]).toMatchObject({ outcome: 'sent' });
    expect(outcomes[chargeKey]).toMatchObject({ outcome: 'sent' });
    expect(memory.logs.get(trialKey)).toMatchObject({ kind: 'trial_end', status: 'sent', dueDate });
    expect(memory.logs.get(chargeKey)).toMatchObject({ kind: 'charge', status: 'sent' });
    expect(memory.logs.has(`rem:1:${dueDate}:0`)).toBe(false);
    const trialMail = mail.sent.find((m) => m.idempotencyKey === trialKey)!;
    expect(trialMail.tags).toEqual(['trial-end']);
    expect(trialMail.text).toContain('Your free trial of Streamly ends on');
    expect(trialMail.text).toContain('and then costs €12.99 per month.');
    expect(mail.sent.find((m) => m.idempotencyKey === chargeKey)!.tags).toEqual(['reminder']);
    expect(outcomes[cancelByKey]).toMatchObject({ outcome: 'sent' });
    expect(memory.logs.get(cancelByKey)).toMatchObject({ kind: 'cancel_by', status: 'sent', dueDate });
    const cancelMail = mail.sent.find((m) => m.idempotencyKey === cancelByKey)!;
    expect(cancelMail.tags).toEqual(['cancel-by']);
    expect(cancelMail.text).toContain('To avoid the next term of Insurance (€15.99 per year), cancel it by');

    // Listed again (a lost started marker) and delivered by another batch: still one log, one email.
    expect(await check('second')).toMatchObject({ remindersStarted: 0 });
    const again: BatchReminder[] = [
      { subscriptionId: 1, dueDate, offsetDays: 0, kind: 'trial_end', instantMs: nextHour },
    ];
    const second = (await env.client.workflow.execute('reminderBatchWorkflow', {
      taskQueue,
      workflowId: `${ids.reminderBatch(nextHour, reminderBatchDigest(again))}-again`,
      args: [{ reminders: again }],
    })) as ReminderBatchResult;
    expect(second.outcomes[trialKey]).toMatchObject({ outcome: 'skipped', reason: 'already_logged' });
    expect(mail.sent.filter((m) => m.idempotencyKey === trialKey)).toHaveLength(1);
    expect(mail.sent).toHaveLength(3);
  });
});
