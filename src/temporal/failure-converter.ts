import { DefaultFailureConverter } from '@temporalio/common';

/**
 * Failure messages and stack traces go into the failure's encoded attributes, a payload the codec encrypts:
 * an error can quote what it failed on (a database error names the duplicate address, a provider echoes a
 * recipient). Clients, workers and the workflow bundle load it by path (FAILURE_CONVERTER_PATH), so every
 * failure is encoded the same way. Temporal shows "Encoded failure" until the codec decodes it.
 */
export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
