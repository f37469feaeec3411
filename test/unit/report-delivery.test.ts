import { MockActivityEnvironment } from '@temporalio/testing';
import { createReportActivities } from '../../activities/report-activities';
import { PREPARE_CONCURRENCY } from '../../activities/report-delivery';
import { MailError, type Mailer } from '../../src/mail/mailer';
import type { BatchReportUser, ReportBatchDelivery } from '../../src/temporal/contract';
import { monthEndInstant } from '../../src/time';
import { testSendSlots } from '../helpers/reminder-fakes';
import { createMemoryReportStore, reportCharge, reportLinks, reportUser } from '../helpers/report-fakes';
import { createRecordingMailer } from '../helpers/temporal-fakes';

describe('deliverReports (MockActivityEnvironment, in-memory ports)', () => {
  const month = '2027-04';
  const memory = createMemoryReportStore();
  const mail = createRecordingMailer();
  /** What the next sends throw, in order; then the recording mailer. */
  const failures: Error[] = [];
  const mailer: Mailer = {
    send: async (message) => {
      const failure = failures.shift();
      if (failure) throw failure;
      return mail.mailer.send(message);
    },
  };
  const activities = createReportActivities({
    ...memory.deps,
    mailer,
    links: reportLinks,
    sendSlots: testSendSlots,
  });
  const instant = monthEndInstant(month, 'Asia/Tokyo', 9);
  let nextId = 1;

  /** An activity run at `nowMs` (server time), inside workflow `workflowId`. */
  const deliver = (users: BatchReportUser[], nowMs = instant, workflowId = 'reports-batch-1') =>
    new MockActivityEnvironment({
      currentAttemptScheduledTimestampMs: nowMs,
      workflowExecution: { workflowId, runId: 'run-1' },
    }).run(activities.deliverReports, { month, users }) as Promise<ReportBatchDelivery>;

  /** A user in Tokyo with a charge in the month, listed at Tokyo's instant. */
  function arrange(overrides: Parameters<typeof reportUser>[1] = {}): BatchReportUser {
    const user = reportUser(nextId++, { timezone: 'Asia/Tokyo', ...overrides });
    memory.users.set(user.id, user);
    memory.setCharges(user.id, month, [reportCharge(`${month}-10`, 1_500)]);
    return { userId: user.id, instantMs: instant };
  }

  beforeEach(() => {
    mail.sent.length = 0;
    failures.length = 0;
  });

  it('sends at the instant, claims it for the batch and records a sent row with the totals', async () => {
    const user = arrange();

    const result = await deliver([user]);

    expect(result.done[user.userId]).toEqual({ outcome: 'sent', providerMessageId: 'fake-1', attempts: 1 });
    expect(result.again).toEqual([]);
    expect(mail.sent.map((m) => m.idempotencyKey)).toEqual([`report:${user.userId}:${month}`]);
    expect(memory.claims.get(`${user.userId}:${month}`)).toBe('reports-batch-1');
    expect(memory.row(user.userId, month)).toMatchObject({
      status: 'sent',
      providerMessageId: 'fake-1',
      sentAtMs: expect.any(Number),
      totals: { byCurrency: { USD: { totalMinor: 1_500, chargesCount: 1 } } },
    });
    expect(memory.advanced.find((a) => a.userId === user.userId)?.nowMs).toBeGreaterThanOrEqual(instant);
  });

  it('a user another batch claimed first is left to it: not sent, not recorded', async () => {
    const user = arrange();
    memory.claims.set(`${user.userId}:${month}`, 'reports-older-batch');

    const result = await deliver([user]);

    expect(result.done[user.userId]).toEqual({ outcome: 'skipped', reason: 'claimed_elsewhere' });
    expect(mail.sent).toHaveLength(0);
    expect(memory.row(user.userId, month)).toBeUndefined();
  });

  it('a user with a recorded report is skipped without a send, whatever the row says', async () => {
    const [sent, failed] = [arrange(), arrange()];
    await memory.store.recordReport({
      userId: sent.userId,
      month,
      status: 'sent',
      totals: { currency: 'USD', byCurrency: {} },
    });
    await memory.store.recordReport({
      userId: failed.userId,
      month,
      status: 'failed',
      totals: { currency: 'USD', byCurrency: {} },
    });

    const result = await deliver([sent, failed]);

    expect(result.done).toEqual({
      [sent.userId]: { outcome: 'skipped', reason: 'already_recorded' },
      [failed.userId]: { outcome: 'skipped', reason: 'already_recorded' },
    });
    expect(mail.sent).toHaveLength(0);
  });

  it('a user whose zone moved west comes back to wait for the new instant; nothing sent, nothing recorded', async () => {
    const user = arrange({ timezone: 'America/New_York' });

    const result = await deliver([user]);

    const later = monthEndInstant(month, 'America/New_York', 9);
    expect(result.again).toEqual([{ ...user, instantMs: later, notBeforeMs: later }]);
    expect(result.done).toEqual({});
    expect(mail.sent).toHaveLength(0);
    expect(memory.row(user.userId, month)).toBeUndefined();
  });

  it('a transient failure comes back with its attempt and MAIL_RETRY backoff; a later attempt sends it', async () => {
    const user = arrange();
    failures.push(new MailError('Mailgun 503', true, 503));

    const first = await deliver([user]);

    expect(first.done).toEqual({});
    expect(first.again).toEqual([
      {
        ...user,
        attempts: 1,
        firstAttemptMs: expect.any(Number),
        lastError: 'Mailgun 503',
        notBeforeMs: expect.any(Number),
      },
    ]);
    const [back] = first.again;
    expect(back.notBeforeMs! - back.firstAttemptMs!).toBeGreaterThanOrEqual(5_000);
    expect(back.notBeforeMs! - back.firstAttemptMs!).toBeLessThan(6_000);
    expect(memory.row(user.userId, month)).toBeUndefined();

    // The retry's own claim is kept: the same batch sends it on its next call.
    const second = await deliver(first.again, back.notBeforeMs);
    expect(second.done[user.userId]).toMatchObject({ outcome: 'sent', attempts: 2 });
    expect(second.again).toEqual([]);
    expect(memory.row(user.userId, month)?.status).toBe('sent');
  });

  it('a permanent 4xx is recorded failed at once', async () => {
    const user = arrange();
    failures.push(new MailError('Mailgun 400: bad address', false, 400));

    const result = await deliver([user]);

    expect(result.done[user.userId]).toEqual({
      outcome: 'failed',
      attempts: 1,
      error: 'Mailgun 400: bad address',
    });
    expect(result.again).toEqual([]);
    expect(memory.row(user.userId, month)).toMatchObject({ status: 'failed', totals: { currency: 'USD' } });
  });

  it("a 429 comes back after its Retry-After and holds the worker's other sends until then", async () => {
    const [limited, other] = [arrange(), arrange()];
    failures.push(new MailError('Mailgun 429', true, 429, 120));
    const at = instant + 60_000;

    const result = await deliver([limited], at);
    const elsewhere = await deliver([other], at + 1_000, 'reports-batch-2');

    expect(result.again[0].notBeforeMs! - at).toBeGreaterThanOrEqual(120_000);
    expect(result.again[0].notBeforeMs! - at).toBeLessThan(121_000);
    expect(elsewhere.again).toEqual([{ ...other, notBeforeMs: result.again[0].notBeforeMs }]);
    expect(mail.sent).toHaveLength(0);
  });

  it('no charges: a skipped row and no email; retried as a whole, the batch resumes from the rows', async () => {
    const empty = arrange();
    memory.setCharges(empty.userId, month, []);
    const charged = arrange();

    const first = await deliver([empty, charged], instant + 300_000);
    const retried = await deliver([empty, charged], instant + 300_000);

    expect(first.done).toEqual({
      [empty.userId]: { outcome: 'skipped', reason: 'no_charges' },
      [charged.userId]: expect.objectContaining({ outcome: 'sent' }),
    });
    expect(retried.done).toEqual({
      [empty.userId]: { outcome: 'skipped', reason: 'already_recorded' },
      [charged.userId]: { outcome: 'skipped', reason: 'already_recorded' },
    });
    expect(mail.sent).toHaveLength(1);
    expect(memory.row(empty.userId, month)).toMatchObject({ status: 'skipped' });
  });

  it('prepares at most PREPARE_CONCURRENCY users at once across all the batches of the worker', async () => {
    const batches = [0, 1, 2].map(() => Array.from({ length: 20 }, () => arrange()));
    let reading = 0;
    let most = 0;
    const counted = createReportActivities({
      ...memory.deps,
      reports: {
        ...memory.store,
        async findUser(userId) {
          reading += 1;
          most = Math.max(most, reading);
          await new Promise((resolve) => setTimeout(resolve, 5));
          reading -= 1;
          return memory.store.findUser(userId);
        },
      },
      mailer,
      links: reportLinks,
      sendSlots: testSendSlots,
    });

    const results = await Promise.all(
      batches.map(
        (users, n) =>
          new MockActivityEnvironment({
            currentAttemptScheduledTimestampMs: instant,
            workflowExecution: { workflowId: `reports-batch-parallel-${n}`, runId: 'run-1' },
          }).run(counted.deliverReports, { month, users }) as Promise<ReportBatchDelivery>,
      ),
    );

    const sent = results.flatMap((r) => Object.values(r.done)).filter((d) => d.outcome === 'sent');
    expect(sent).toHaveLength(60);
    // Unbounded, three batches would read for 3 x 16 users at once.
    expect(most).toBe(PREPARE_CONCURRENCY);
  });

  it('never has more than 16 reports sent and not yet recorded, however slow the writes', async () => {
    const users = Array.from({ length: 40 }, () => arrange());
    let sent = 0;
    let recorded = 0;
    let worst = 0;
    const slow = createReportActivities({
      ...memory.deps,
      reports: {
        ...memory.store,
        async recordReports(entries) {
          await new Promise((resolve) => setTimeout(resolve, 20));
          await memory.store.recordReports(entries);
          recorded += entries.length;
        },
      },
      mailer: {
        send: async (message) => {
          sent += 1;
          worst = Math.max(worst, sent - recorded);
          return mail.mailer.send(message);
        },
      },
      links: reportLinks,
      sendSlots: testSendSlots,
    });

    const result = (await new MockActivityEnvironment({
      currentAttemptScheduledTimestampMs: instant,
      workflowExecution: { workflowId: 'reports-batch-slow', runId: 'run-1' },
    }).run(slow.deliverReports, { month, users })) as ReportBatchDelivery;

    expect(Object.values(result.done).filter((d) => d.outcome === 'sent')).toHaveLength(40);
    expect(recorded).toBe(40);
    // The bound, plus the sends already in flight when it was reached (the pool's 8).
    expect(worst).toBeLessThanOrEqual(16 + 8);
    expect(worst).toBeGreaterThan(1);
  });
});
