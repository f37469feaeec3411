import {
  candidateWindowEnd,
  decideReminder,
  paymentDueInstant,
  planReminders,
} from '../../src/services/reminder-plan';
import { reminderInstant } from '../../src/time';
import {
  reminderOwner,
  reminderSubscription,
  type MemoryOwner,
  type MemorySubscription,
} from '../helpers/reminder-fakes';

const HOUR = 3_600_000;
const at = (iso: string) => Date.parse(iso);

/** A Berlin owner (09:00, offsets 7 and 1) and a monthly plan due 2027-03-10, created long ago. */
function arrange(sub: Partial<MemorySubscription> = {}, owner: Partial<MemoryOwner> = {}) {
  return {
    subscription: reminderSubscription(1, 1, '2027-03-10', {
      createdAtMs: at('2027-01-01T00:00:00Z'),
      ...sub,
    }),
    owner: reminderOwner(1, { timezone: 'Europe/Berlin', ...owner }),
  };
}
function plan(nowIso: string, context = arrange(), handled: string[] = []) {
  const nowMs = at(nowIso);
  return planReminders({
    ...context,
    handled: new Set(handled),
    nowMs,
    windowEndMs: candidateWindowEnd(nowMs),
  });
}

describe('planReminders', () => {
  it('lists a reminder whose instant falls before the end of the next hour, and nothing earlier', () => {
    // 7 days before: 2027-03-03 09:00 CET = 08:00 UTC.
    expect(plan('2027-03-03T06:59:59Z')).toEqual({ starts: [], skips: [] });
    expect(plan('2027-03-03T07:00:00Z').starts).toEqual([
      {
        subscriptionId: 1,
        userId: 1,
        dueDate: '2027-03-10',
        offsetDays: 7,
        instantMs: at('2027-03-03T08:00:00Z'),
        catchUp: false,
      },
    ]);
  });

  it('skips reminders already logged or started', () => {
    expect(plan('2027-03-03T07:00:00Z', arrange(), ['rem:1:2027-03-10:7'])).toEqual({
      starts: [],
      skips: [],
    });
  });

  it('after an outage sends only the smallest passed offset, late, and supersedes the others', () => {
    const result = plan('2027-03-09T12:00:00Z');
    expect(result.starts).toEqual([expect.objectContaining({ offsetDays: 1, catchUp: true })]);
    expect(result.skips).toEqual([expect.objectContaining({ offsetDays: 7, reason: 'superseded' })]);
  });

  it('supersedes a passed reminder when a smaller offset of that due date was already handled', () => {
    const result = plan('2027-03-09T12:00:00Z', arrange(), ['rem:1:2027-03-10:1']);
    expect(result.starts).toEqual([]);
    expect(result.skips).toEqual([expect.objectContaining({ offsetDays: 7, reason: 'superseded' })]);
  });

  it('never sends a reminder whose instant precedes the creation or the last change of the plan', () => {
    const created = arrange({ createdAtMs: at('2027-03-05T00:00:00Z') });
    expect(plan('2027-03-06T12:00:00Z', created)).toEqual({
      starts: [],
      skips: [expect.objectContaining({ offsetDays: 7, reason: 'before_change' })],
    });
    const changed = arrange({}, { remindersChangedAtMs: at('2027-03-05T00:00:00Z') });
    expect(plan('2027-03-06T12:00:00Z', changed).skips).toEqual([
      expect.objectContaining({ offsetDays: 7, reason: 'before_change' }),
    ]);
  });

  it('ignores paused plans, unverified owners, reminders turned off and offsets longer than the period', () => {
    expect(plan('2027-03-09T12:00:00Z', arrange({ status: 'paused' }))).toEqual({ starts: [], skips: [] });
    expect(plan('2027-03-09T12:00:00Z', arrange({}, { emailVerified: false }))).toEqual({
      starts: [],
      skips: [],
    });
    expect(plan('2027-03-09T12:00:00Z', arrange({}, { remindersEnabled: false }))).toEqual({
      starts: [],
      skips: [],
    });
    const weekly = arrange({ billingCycle: 'weekly', reminderOffsets: [7] });
    expect(plan('2027-03-03T07:00:00Z', weekly)).toEqual({ starts: [], skips: [] });
  });

  it('never lists a payment already due (a date before the owner today)', () => {
    // Berlin 2027-03-11 00:30 CET: the 10th has passed; advancing (not reminders) handles it.
    expect(plan('2027-03-10T23:30:00Z', arrange({ reminderOffsets: [0] }))).toEqual({
      starts: [],
      skips: [],
    });
  });

  it('lists later occurrences too: a daily plan reminds for tomorrow when tomorrow 00:00 is in the window', () => {
    const daily = arrange(
      {
        billingCycle: 'daily',
        reminderOffsets: [0],
        anchorDate: '2027-03-01',
        nextPaymentDate: '2027-03-09',
      },
      { reminderHour: 0 },
    );
    // Berlin midnight of the 10th is 23:00 UTC on the 9th.
    expect(plan('2027-03-09T22:10:00Z', daily, ['rem:1:2027-03-09:0']).starts).toEqual([
      expect.objectContaining({
        dueDate: '2027-03-10',
        offsetDays: 0,
        instantMs: at('2027-03-09T23:00:00Z'),
      }),
    ]);
  });
});

describe('decideReminder', () => {
  const reminder = { dueDate: '2027-03-10', offsetDays: 1 };
  const now = at('2027-03-09T08:00:00Z');

  it('sends with the current instant and stops at the end of the due date in the owner zone', () => {
    expect(decideReminder(arrange(), reminder, now, false)).toEqual({
      kind: 'send',
      instantMs: reminderInstant('2027-03-10', 1, 9, 'Europe/Berlin'),
      deadlineMs: paymentDueInstant('2027-03-10', 'Europe/Berlin'),
    });
    expect(paymentDueInstant('2027-03-10', 'Europe/Berlin')).toBe(at('2027-03-10T23:00:00Z'));
  });

  it('reports a moved reminder hour through the instant (the workflow sleeps again)', () => {
    const decision = decideReminder(arrange({}, { reminderHour: 11 }), reminder, now, false);
    expect(decision).toMatchObject({ kind: 'send', instantMs: at('2027-03-09T10:00:00Z') });
  });

  it.each([
    ['deleted', null, false],
    ['already_logged', arrange(), true],
  ] as const)('skips without a row: %s', (reason, context, logged) => {
    expect(decideReminder(context, reminder, now, logged)).toEqual({ kind: 'skip', reason, record: false });
  });

  it.each([
    ['paused', arrange({ status: 'paused' })],
    ['cancelled', arrange({ status: 'cancelled' })],
    ['unverified', arrange({}, { emailVerified: false })],
    ['disabled', arrange({}, { remindersEnabled: false })],
    ['offset_removed', arrange({ reminderOffsets: [3] })],
    ['rescheduled', arrange({ anchorDate: '2027-03-20', nextPaymentDate: '2027-03-20' })],
    ['rescheduled', arrange({ nextPaymentDate: '2027-04-10' })],
  ] as const)('skips and logs: %s', (reason, context) => {
    expect(decideReminder(context, reminder, now, false)).toEqual({ kind: 'skip', reason, record: true });
  });

  it('skips as missed once the payment is due', () => {
    expect(decideReminder(arrange(), reminder, at('2027-03-10T23:00:00Z'), false)).toMatchObject({
      reason: 'missed',
    });
  });

  it('the window ends at the end of the next hour', () => {
    expect(candidateWindowEnd(at('2027-03-09T08:59:59Z'))).toBe(at('2027-03-09T10:00:00Z'));
    expect(candidateWindowEnd(at('2027-03-09T09:00:00Z')) - at('2027-03-09T09:00:00Z')).toBe(2 * HOUR);
  });
});
