import {
  ActivityFailure,
  ApplicationFailure,
  RetryState,
  TimeoutFailure,
  TimeoutType,
} from '@temporalio/common';
import { describeMailFailure } from '../../workflows/mail-failure';

const lastAttempt = () =>
  ApplicationFailure.create({ message: 'Mailgun answered 503', details: [{ attempt: 4, status: 503 }] });
const activityFailure = (retryState: RetryState, cause: Error) =>
  new ActivityFailure('Activity task failed', 'sendWelcome', '1', retryState, 'worker', cause);

describe('describeMailFailure', () => {
  it('reads the attempts and error the last attempt attached', () => {
    expect(describeMailFailure(activityFailure(RetryState.MAXIMUM_ATTEMPTS_REACHED, lastAttempt()))).toEqual({
      attempts: 4,
      error: 'Mailgun answered 503',
    });
  });

  it('finds them under a schedule-to-close TimeoutFailure that ended an attempt', () => {
    const timeout = new TimeoutFailure(
      'activity ScheduleToClose timeout',
      undefined,
      TimeoutType.SCHEDULE_TO_CLOSE,
    );
    // The converter sets the cause the server sent: the previous attempt's failure.
    Object.assign(timeout, { cause: lastAttempt() });
    expect(describeMailFailure(activityFailure(RetryState.TIMEOUT, timeout))).toEqual({
      attempts: 4,
      error: "Mailgun answered 503 (then the send's time budget ran out)",
    });
  });

  it('says 0 attempts and the timeout when no attempt attached anything', () => {
    const timeout = new TimeoutFailure(
      'activity StartToClose timeout',
      undefined,
      TimeoutType.START_TO_CLOSE,
    );
    expect(describeMailFailure(activityFailure(RetryState.TIMEOUT, timeout))).toEqual({
      attempts: 0,
      error: 'activity StartToClose timeout',
    });
  });
});
