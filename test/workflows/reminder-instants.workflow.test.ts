import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { createReminderActivities } from '../../activities/reminder-activities';
import type { Mailer } from '../../src/mail/mailer';
import {
  createIds,
  reminderBatchDigest,
  type ReminderBatchResult,
  type ReminderResult,
} from '../../src/temporal/contract';
import { addDays, localDate, localTimeToInstant, parseDate, reminderInstant } from '../../src/time';
import {
  createMemoryReminderStore,
  idleAdvancer,
  reminderLinks,
  reminderOwner,
  reminderSubscription,
  testSendSlots,
} from '../helpers/reminder-fakes';
import { startTimeSkipping, startWorker, uniquePrefix, uniqueTaskQueue } from '../helpers/temporal';

const HOUR = 3_600_000;

/** The first day on or after `from` in `zone` that lasts `hours` hours (23: spring forward, 25: fall back). */
function nextDayLasting(zone: string, from: string, hours: 23 | 25): string {
  for (let date = from, i = 0; i < 800; i++, date = addDays(date, 1)) {
    const length = localTimeToInstant(addDays(date, 1), 0, zone) - localTimeToInstant(date, 0, zone);
    if (length === hours * HOUR) return date;
  }
  throw new Error(`no ${hours} h day in ${zone}`);
}

/** Midnight UTC of `date` plus `hours`. */
function utc(date: string, hours: number): number {
  const { year, month, day } = parseDate(date);
  return Date.UTC(year, month - 1, day) + hours * HOUR;
}

/** "YYYY-MM-DD HH:mm" on the wall clock of `zone`. */
function wallClock(instant: number, zone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(instant);
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}

interface Case {
  name: string;
  zone: string;
  hour: number;
  offset: number;
  /** The local date the reminder fires on. */
  fireDate: string;
  /** Expected instant, derived without the time module. */
  expected: number;
}

describe('reminderBatchWorkflow fires at the exact instant in the owner zone (time skipping)', () => {
  const ids = createIds(uniquePrefix('instants'));
  const taskQueue = uniqueTaskQueue();
  const memory = createMemoryReminderStore();
  /** Server time at which each reminder's email was sent, by idempotency key. */
  const sentAt = new Map<string, number>();
  const results = new Map<string, ReminderResult>();
  let cases: Case[] = [];
  let env: TestWorkflowEnvironment;
  let worker: Worker;
  let running: Promise<void>;

  beforeAll(async () => {
    env = await startTimeSkipping();
    const mailer: Mailer = {
      async send(message) {
        sentAt.set(message.idempotencyKey!, await env.currentTimeMs());
        return { id: `fake-${sentAt.size}` };
      },
    };
    worker = await startWorker(
      env,
      taskQueue,
      createReminderActivities({
        reminders: memory.store,
        advancer: idleAdvancer,
        mailer,
        links: reminderLinks,
        sendSlots: testSendSlots,
      }),
    );
    running = worker.run();

    const now = await env.currentTimeMs();
    const soon = (zone: string, days: number) => addDays(localDate(now, zone), days);
    const berlinSpring = nextDayLasting('Europe/Berlin', soon('Europe/Berlin', 2), 23);
    const berlinFall = nextDayLasting('Europe/Berlin', soon('Europe/Berlin', 2), 25);
    const nySpring = nextDayLasting('America/New_York', soon('America/New_York', 2), 23);
    const nyFall = nextDayLasting('America/New_York', soon('America/New_York', 2), 25);
    const auckland = soon('Pacific/Auckland', 4);
    const shanghai = soon('Asia/Shanghai', 5);
    cases = [
      // Expected: 09:00 on the Auckland wall clock (checked below with Intl).
      {
        name: 'Auckland 09:00',
        zone: 'Pacific/Auckland',
        hour: 9,
        offset: 7,
        fireDate: auckland,
        expected: NaN,
      },
      // Midnight in Shanghai (UTC+8, no DST) is 16:00 UTC the day before.
      {
        name: 'Shanghai midnight',
        zone: 'Asia/Shanghai',
        hour: 0,
        offset: 1,
        fireDate: shanghai,
        expected: utc(shanghai, -8),
      },
      // 02:00 does not exist on spring-forward day: 03:00 CEST = 01:00 UTC.
      {
        name: 'Berlin spring-forward 02:00',
        zone: 'Europe/Berlin',
        hour: 2,
        offset: 1,
        fireDate: berlinSpring,
        expected: utc(berlinSpring, 1),
      },
      // 02:00 happens twice on fall-back day: the earlier, 02:00 CEST = 00:00 UTC.
      {
        name: 'Berlin fall-back 02:00',
        zone: 'Europe/Berlin',
        hour: 2,
        offset: 1,
        fireDate: berlinFall,
        expected: utc(berlinFall, 0),
      },
      // 02:00 does not exist: 03:00 EDT = 07:00 UTC.
      {
        name: 'New York spring-forward 02:00',
        zone: 'America/New_York',
        hour: 2,
        offset: 1,
        fireDate: nySpring,
        expected: utc(nySpring, 7),
      },
      // 01:00 happens twice: the earlier, 01:00 EDT = 05:00 UTC.
      {
        name: 'New York fall-back 01:00',
        zone: 'America/New_York',
        hour: 1,
        offset: 1,
        fireDate: nyFall,
        expected: utc(nyFall, 5),
      },
    ];

    // Start them all, then await only the last instant: the server skips from timer to timer in instant
    // order and the earlier ones complete on the way (awaiting each lets the clock jump past the next).
    const started = await Promise.all(
      cases.map(async (c, i) => {
        const id = i + 1;
        const dueDate = addDays(c.fireDate, c.offset);
        const instantMs = reminderInstant(dueDate, c.offset, c.hour, c.zone);
        memory.owners.set(
          id,
          reminderOwner(id, { timezone: c.zone, reminderHour: c.hour, reminderOffsets: [c.offset] }),
        );
        memory.subscriptions.set(id, reminderSubscription(id, id, dueDate));
        if (Number.isNaN(c.expected)) c.expected = instantMs;
        const reminders = [{ subscriptionId: id, dueDate, offsetDays: c.offset, instantMs }];
        const handle = await env.client.workflow.start('reminderBatchWorkflow', {
          taskQueue,
          workflowId: ids.reminderBatch(instantMs, reminderBatchDigest(reminders)),
          args: [{ reminders }],
        });
        return { c, handle, key: `rem:${id}:${dueDate}:${c.offset}`, instantMs };
      }),
    );
    started.sort((a, b) => a.instantMs - b.instantMs);
    await started.at(-1)!.handle.result();
    for (const { c, handle, key } of started) {
      results.set(c.name, ((await handle.result()) as ReminderBatchResult).outcomes[key]);
      sentAt.set(c.name, sentAt.get(key)!);
    }
  });
  afterAll(async () => {
    if (worker) {
      worker.shutdown();
      await running;
    }
    await env?.teardown();
  });

  it.each([
    'Auckland 09:00',
    'Shanghai midnight',
    'Berlin spring-forward 02:00',
    'Berlin fall-back 02:00',
    'New York spring-forward 02:00',
    'New York fall-back 01:00',
  ])('%s', (name) => {
    const c = cases.find((x) => x.name === name)!;
    const sent = sentAt.get(name)!;
    expect(results.get(name)).toMatchObject({ outcome: 'sent', late: false });
    // env.currentTimeMs() read inside the send: at the instant, plus the activity's own latency.
    expect(sent).toBeGreaterThanOrEqual(c.expected);
    expect(sent - c.expected).toBeLessThan(5_000);
    const expectedWall = `${c.fireDate} ${String(Math.max(c.hour, name.includes('spring') ? c.hour + 1 : c.hour)).padStart(2, '0')}:00`;
    expect(wallClock(c.expected, c.zone)).toBe(expectedWall);
  });
});
