import {
  DefaultFailureConverter,
  TimeoutFailure,
  type PayloadConverter,
  type ProtoFailure,
  type SerializationContext,
} from '@temporalio/common';

/**
 * The SDK's converter, keeping the cause of a timeout. When an activity's schedule-to-close ends it during an
 * attempt, the server sends a TimeoutFailure whose cause is the previous attempt's failure (with the attempt
 * count the mail workflows report); the SDK's converter drops that cause.
 */
class CauseKeepingFailureConverter extends DefaultFailureConverter {
  override failureToErrorInner(
    failure: ProtoFailure,
    payloadConverter: PayloadConverter,
    context?: SerializationContext,
  ): Error {
    const err = super.failureToErrorInner(failure, payloadConverter, context);
    if (err instanceof TimeoutFailure && failure.cause && err.cause === undefined) {
      const cause = this.optionalFailureToOptionalError(failure.cause, payloadConverter, context);
      Object.defineProperty(err, 'cause', { value: cause, writable: false, enumerable: true });
    }
    return err;
  }
}

/**
 * Failure messages and stack traces go into the failure's encoded attributes, a payload the codec encrypts:
 * an error can quote what it failed on (a database error names the duplicate address, a provider echoes a
 * recipient). Clients, workers and the workflow bundle load it by path (FAILURE_CONVERTER_PATH), so every
 * failure is encoded the same way. Temporal shows "Encoded failure" until the codec decodes it.
 */
export const failureConverter = new CauseKeepingFailureConverter({ encodeCommonAttributes: true });
