import { ValidationError } from '../../src/errors';
import { candidateWindowEnd, decideReminder, planReminders } from '../../src/services/reminder-plan';
import { chargeDatesWithin, occurrencesWithin, scheduleOf } from '../../src/services/subscription-schedule';
import {
  assertCancelByInReach,
  inTrial,
  lastChargeDate,
  reminderKindFor,
  termEnded,
  withTrialDates,
} from '../../src/services/subscription-terms';
import { reminderKeyOf, reminderKindOfKey } from '../../src/temporal/contract';
import { advance } from '../../src/time';
import { reminderOwner, reminderSubscription } from '../helpers/reminder-fakes';

const at = (iso: string) => Date.parse(iso);

describe('free trials', () => {
  const trial = { trialEndsOn: '2027-01-31' };

  it('the reminders of the charge a trial converts into are trial_end, every later charge is a charge', () => {
    expect(reminderKindFor(trial, '2027-01-31')).toBe('trial_end');
    expect(reminderKindFor(trial, '2027-02-28')).toBe('charge');
    expect(reminderKindFor({ trialEndsOn: null }, '2027-01-31')).toBe('charge');
  });

  it('is in trial until the day it ends, which is the first charge', () => {
    expect(inTrial(trial, '2027-01-30')).toBe(true);
    expect(inTrial(trial, '2027-01-31')).toBe(false);
    expect(inTrial({ trialEndsOn: null }, '2027-01-01')).toBe(false);
  });

  it('a trial ending on the 31st anchors the plan there: no charge before it, month ends after it', () => {
    const schedule = scheduleOf({ anchorDate: '2027-01-31', billingCycle: 'monthly', billingInterval: 1 });
    expect(occurrencesWithin(schedule, '2027-01-01', '2027-05-01')).toEqual([
      '2027-01-31',
      '2027-02-28',
      '2027-03-31',
      '2027-04-30',
    ]);
    // Converting on Feb 1 charges the trial's last day once and nothing before it.
    expect(advance(schedule, '2027-01-31', '2027-02-01')).toEqual({
      due: ['2027-01-31'],
      next: '2027-02-28',
    });
  });

  it('setting trial_ends_on sets the first charge; a different next_payment_date with it is refused', () => {
    expect(withTrialDates({ trialEndsOn: '2027-01-31' }, null, '2027-01-01')).toEqual({
      trialEndsOn: '2027-01-31',
      nextPaymentDate: '2027-01-31',
    });
    expect(() =>
      withTrialDates({ trialEndsOn: '2027-01-31', nextPaymentDate: '2027-02-01' }, null, '2027-01-01'),
    ).toThrow(ValidationError);
    expect(() => withTrialDates({}, null, '2027-01-01')).toThrow(ValidationError);
  });

  it('moving the next payment date during a trial moves its end; after conversion the trial is history', () => {
    expect(withTrialDates({ nextPaymentDate: '2027-02-07' }, trial, '2027-01-10')).toEqual({
      nextPaymentDate: '2027-02-07',
      trialEndsOn: '2027-02-07',
    });
    expect(withTrialDates({ nextPaymentDate: '2027-03-07' }, trial, '2027-02-10')).toEqual({
      nextPaymentDate: '2027-03-07',
    });
    expect(withTrialDates({ trialEndsOn: null }, trial, '2027-01-10')).toEqual({ trialEndsOn: null });
  });

  it('keys a trial-end reminder apart from a payment reminder of the same date and offset', () => {
    const parts = { subscriptionId: 4, dueDate: '2027-01-31', offsetDays: 3 };
    expect(reminderKeyOf(parts)).toBe('rem:4:2027-01-31:3');
    expect(reminderKeyOf({ ...parts, kind: 'trial_end' })).toBe('trial:4:2027-01-31:3');
    expect(reminderKindOfKey('trial:4:2027-01-31:3')).toBe('trial_end');
    expect(reminderKindOfKey('rem:4:2027-01-31:3')).toBe('charge');
  });
});

describe('trial-end reminders in the plan', () => {
  // A Berlin owner at 09:00 with offsets 7 and 1; the trial ends (and the first charge falls) on Jan 31.
  const context = () => ({
    subscription: reminderSubscription(1, 1, '2027-01-31', {
      trialEndsOn: '2027-01-31',
      createdAtMs: at('2027-01-01T00:00:00Z'),
    }),
    owner: reminderOwner(1, { timezone: 'Europe/Berlin' }),
  });
  const planAt = (nowIso: string, handled: string[] = []) =>
    planReminders({
      ...context(),
      handled: new Set(handled),
      nowMs: at(nowIso),
      windowEndMs: candidateWindowEnd(at(nowIso)),
    });

  it('plans the trial end at the owner offsets and hour, with its own key kind', () => {
    // 7 days before, 09:00 CET = 08:00 UTC.
    const { starts } = planAt('2027-01-24T07:30:00Z');
    expect(starts).toEqual([
      expect.objectContaining({
        dueDate: '2027-01-31',
        offsetDays: 7,
        kind: 'trial_end',
        instantMs: at('2027-01-24T08:00:00Z'),
      }),
    ]);
    // A logged payment reminder of that date and offset does not hide it: the keys differ.
    expect(planAt('2027-01-24T07:30:00Z', ['rem:1:2027-01-31:7']).starts).toHaveLength(1);
    expect(planAt('2027-01-24T07:30:00Z', ['trial:1:2027-01-31:7']).starts).toHaveLength(0);
  });

  it('the charges after the trial are reminded as payments', () => {
    const sub = { ...context().subscription, nextPaymentDate: '2027-02-28' };
    // A charge's reminders carry no kind: charge is the default.
    const { starts } = planReminders({
      subscription: sub,
      owner: context().owner,
      handled: new Set(['rem:1:2027-02-28:7']),
      nowMs: at('2027-02-27T07:30:00Z'),
      windowEndMs: candidateWindowEnd(at('2027-02-27T07:30:00Z')),
    });
    expect(starts).toEqual([expect.objectContaining({ dueDate: '2027-02-28', offsetDays: 1 })]);
  });

  it('a started trial-end reminder whose trial moved away is skipped as rescheduled at delivery', () => {
    const { subscription, owner } = context();
    const reminder = { dueDate: '2027-01-31', offsetDays: 7, kind: 'trial_end' as const };
    const nowMs = at('2027-01-24T08:00:00Z');
    expect(decideReminder({ subscription, owner }, reminder, nowMs, false).kind).toBe('send');
    const cleared = { ...subscription, trialEndsOn: null };
    expect(decideReminder({ subscription: cleared, owner }, reminder, nowMs, false)).toEqual({
      kind: 'skip',
      reason: 'rescheduled',
      record: true,
    });
    // And a payment reminder started before a trial was set on its date.
    const charge = { dueDate: '2027-01-31', offsetDays: 7 };
    expect(decideReminder({ subscription, owner }, charge, nowMs, false)).toMatchObject({
      reason: 'rescheduled',
    });
  });

  it('a trial cancelled before it ends plans nothing', () => {
    const { subscription, owner } = context();
    const plan = planReminders({
      subscription: { ...subscription, status: 'cancelled' },
      owner,
      handled: new Set(),
      nowMs: at('2027-01-24T07:30:00Z'),
      windowEndMs: candidateWindowEnd(at('2027-01-24T07:30:00Z')),
    });
    expect(plan).toEqual({ starts: [], skips: [] });
  });
});

describe('fixed terms and cancel-by deadlines', () => {
  it('charges nothing after a term ends: a 29 February anchor with an end date', () => {
    const sub = {
      anchorDate: '2028-02-29',
      billingCycle: 'yearly' as const,
      billingInterval: 1,
      endsOn: '2031-03-01',
    };
    expect(chargeDatesWithin(sub, '2028-01-01', '2034-12-31')).toEqual([
      '2028-02-29',
      '2029-02-28',
      '2030-02-28',
      '2031-02-28',
    ]);
    expect(lastChargeDate({ endsOn: null }, '2030-01-01')).toBe('2030-01-01');
    expect(lastChargeDate({ endsOn: '2029-06-30' }, '2030-01-01')).toBe('2029-06-30');
  });

  it('the term has ended only once the owner today is after its last day', () => {
    expect(termEnded({ endsOn: '2027-12-31' }, '2027-12-31')).toBe(false);
    expect(termEnded({ endsOn: '2027-12-31' }, '2028-01-01')).toBe(true);
    expect(termEnded({ endsOn: null }, '2099-01-01')).toBe(false);
  });

  it('a cancel-by deadline may lie up to 365 days ahead', () => {
    expect(() => assertCancelByInReach('2028-01-01', '2027-01-01')).not.toThrow(); // 365 days
    expect(() => assertCancelByInReach('2028-01-02', '2027-01-01')).toThrow(ValidationError);
    expect(() => assertCancelByInReach(null, '2027-01-01')).not.toThrow();
  });

  it('reminds of a cancel-by deadline across DST at the owner hour, long before the next charge', () => {
    // Berlin springs forward on 2027-03-28 (02:00 -> 03:00); the owner's 02:00 does not exist that day: it
    // moves forward by the gap, to 03:00 CEST = 01:00 UTC. The annual renewal is months later.
    const subscription = reminderSubscription(5, 1, '2027-09-01', {
      billingCycle: 'yearly',
      cancelBy: '2027-03-28',
      createdAtMs: at('2027-01-01T00:00:00Z'),
    });
    const owner = reminderOwner(1, { timezone: 'Europe/Berlin', reminderHour: 2, reminderOffsets: [0] });
    const nowMs = at('2027-03-28T00:30:00Z');
    const { starts } = planReminders({
      subscription,
      owner,
      handled: new Set(),
      nowMs,
      windowEndMs: candidateWindowEnd(nowMs),
    });
    expect(starts).toEqual([
      expect.objectContaining({
        dueDate: '2027-03-28',
        kind: 'cancel_by',
        offsetDays: 0,
        instantMs: at('2027-03-28T01:00:00Z'),
      }),
    ]);
    const reminder = { dueDate: '2027-03-28', offsetDays: 0, kind: 'cancel_by' as const };
    expect(
      decideReminder({ subscription, owner }, reminder, at('2027-03-28T01:00:00Z'), false),
    ).toMatchObject({
      kind: 'send',
      deadlineMs: at('2027-03-28T22:00:00Z'),
    });
    const moved = { ...subscription, cancelBy: '2027-04-30' };
    expect(decideReminder({ subscription: moved, owner }, reminder, nowMs, false)).toMatchObject({
      reason: 'rescheduled',
    });
  });

  it('plans no payment reminder for a charge after the term, and skips one started before the term was set', () => {
    const subscription = reminderSubscription(6, 1, '2027-03-10', {
      endsOn: '2027-03-09',
      createdAtMs: at('2027-01-01T00:00:00Z'),
    });
    const owner = reminderOwner(1, { reminderOffsets: [1] });
    const nowMs = at('2027-03-09T08:30:00Z');
    const plan = planReminders({
      subscription,
      owner,
      handled: new Set(),
      nowMs,
      windowEndMs: candidateWindowEnd(nowMs),
    });
    expect(plan.starts).toEqual([]);
    const started = { dueDate: '2027-03-10', offsetDays: 1 };
    expect(decideReminder({ subscription, owner }, started, nowMs, false)).toMatchObject({
      reason: 'rescheduled',
    });
  });
});
