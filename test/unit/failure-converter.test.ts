import {
  ApplicationFailure,
  defaultPayloadConverter,
  encodeTimeoutType,
  TimeoutFailure,
  TimeoutType,
  type ProtoFailure,
} from '@temporalio/common';
import { failureConverter } from '../../src/temporal/failure-converter';

describe('failureConverter', () => {
  it("keeps a timeout's cause: the failure of the attempt before the budget ran out", () => {
    const proto: ProtoFailure = {
      message: 'activity ScheduleToClose timeout',
      timeoutFailureInfo: { timeoutType: encodeTimeoutType(TimeoutType.SCHEDULE_TO_CLOSE) },
      cause: failureConverter.errorToFailure(
        ApplicationFailure.create({
          message: 'Mailgun answered 429',
          type: 'MailRateLimited',
          details: [{ attempt: 3, status: 429 }],
        }),
        defaultPayloadConverter,
      ),
    };

    const err = failureConverter.failureToError(proto, defaultPayloadConverter);

    expect(err).toBeInstanceOf(TimeoutFailure);
    expect((err as TimeoutFailure).timeoutType).toBe(TimeoutType.SCHEDULE_TO_CLOSE);
    const cause = (err as TimeoutFailure).cause;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    expect(cause).toMatchObject({ message: 'Mailgun answered 429', details: [{ attempt: 3, status: 429 }] });
  });

  it('leaves a timeout without a cause as it was', () => {
    const proto: ProtoFailure = {
      message: 'activity StartToClose timeout',
      timeoutFailureInfo: { timeoutType: encodeTimeoutType(TimeoutType.START_TO_CLOSE) },
    };
    const err = failureConverter.failureToError(proto, defaultPayloadConverter) as TimeoutFailure;
    expect(err).toBeInstanceOf(TimeoutFailure);
    expect(err.cause).toBeUndefined();
  });
});
