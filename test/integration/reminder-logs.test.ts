import request from 'supertest';
import {
  createClockedTestApp,
  createOwner,
  createSubscription,
  type ClockedTestApp,
} from '../helpers/subscriptions';

describe('reminder logs', () => {
  let t: ClockedTestApp;
  beforeAll(async () => {
    t = await createClockedTestApp('2027-01-01T12:00:00Z');
  });
  afterAll(() => t.close());

  async function subscriptionWithLogs() {
    const owner = await createOwner(t);
    const sub = await createSubscription(t.app, owner.auth, { next_payment_date: '2027-01-20' });
    const { ReminderLog } = t.runtime.db.models;
    const log = (offsetDays: number, extra: object) =>
      ReminderLog.create({
        subscriptionId: sub.id,
        userId: owner.user.id,
        dueDate: '2027-01-20',
        offsetDays,
        idempotencyKey: `rem:${sub.id}:2027-01-20:${offsetDays}`,
        status: 'sent',
        ...extra,
      });
    const older = await log(7, {
      success: true,
      message: 'Netflix is due in 7 days',
      sentAt: new Date('2027-01-13T09:00:00Z'),
      workflowId: 'reminders-2027-01-13T09:00:00.000Z-1xabc',
      workflowRunId: 'run-1',
    });
    const newer = await log(1, { status: 'failed', error: 'mailbox full', attempts: 8 });
    return { ...owner, sub, older, newer };
  }

  it("lists a subscription's logs newest first with the data model's and the seed's fields", async () => {
    const { auth, sub, older, newer } = await subscriptionWithLogs();
    const res = await request(t.app).get(`/subscriptions/${sub.id}/reminder_logs`).set(auth);
    expect(res.status).toBe(200);
    expect(res.headers['x-total-count']).toBe('2');
    expect(res.body.map((l: { id: number }) => l.id)).toEqual([newer.id, older.id]);
    expect(res.body[1]).toEqual({
      id: older.id,
      subscription_id: sub.id,
      due_date: '2027-01-20',
      kind: 'charge',
      offset_days: 7,
      status: 'sent',
      reason: null,
      success: true,
      message: 'Netflix is due in 7 days',
      error: null,
      attempts: 0,
      late: false,
      sent_at: '2027-01-13T09:00:00.000Z',
      created_at: expect.any(String),
      workflow_id: 'reminders-2027-01-13T09:00:00.000Z-1xabc',
      workflow_run_id: 'run-1',
      channels: [],
    });
    const paged = await request(t.app)
      .get(`/subscriptions/${sub.id}/reminder_logs?per_page=1&page=2`)
      .set(auth);
    expect(paged.body.map((l: { id: number }) => l.id)).toEqual([older.id]);
  });

  it('answers an empty array for a subscription without logs', async () => {
    const { auth } = await createOwner(t);
    const sub = await createSubscription(t.app, auth);
    const res = await request(t.app).get(`/subscriptions/${sub.id}/reminder_logs`).set(auth);
    expect(res.body).toEqual([]);
  });

  it('reads and deletes one log, with the seed messages', async () => {
    const { auth, newer } = await subscriptionWithLogs();
    const got = await request(t.app).get(`/reminder_logs/${newer.id}`).set(auth);
    expect(got.body).toMatchObject({
      id: newer.id,
      status: 'failed',
      success: false,
      error: 'mailbox full',
      attempts: 8,
    });
    const deleted = await request(t.app).delete(`/reminder_logs/${newer.id}`).set(auth);
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({ message: 'Reminder log deleted.' });
    const gone = await request(t.app).get(`/reminder_logs/${newer.id}`).set(auth);
    expect(gone.status).toBe(404);
    expect(gone.body.message).toBe('Reminder log not found.');
  });

  it("answers 404 for someone else's log and for an unknown subscription", async () => {
    const { older } = await subscriptionWithLogs();
    const { auth } = await createOwner(t);
    expect((await request(t.app).get(`/reminder_logs/${older.id}`).set(auth)).status).toBe(404);
    expect((await request(t.app).delete(`/reminder_logs/${older.id}`).set(auth)).status).toBe(404);
    const missing = await request(t.app).get('/subscriptions/999999/reminder_logs').set(auth);
    expect(missing.status).toBe(404);
    expect(missing.body.message).toBe('Subscription not found.');
  });

  it('deleting the subscription deletes its logs', async () => {
    const { auth, sub, older } = await subscriptionWithLogs();
    await request(t.app).delete(`/subscriptions/${sub.id}`).set(auth);
    expect((await request(t.app).get(`/reminder_logs/${older.id}`).set(auth)).status).toBe(404);
  });
});
