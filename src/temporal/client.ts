import { Client, Connection } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import { UnavailableError } from '../errors';
import { FAILURE_CONVERTER_PATH } from './failure-converter-path';

/** The API's Temporal client: connects lazily, so the API starts (and answers 503) while Temporal is down. */
export interface TemporalHandle {
  connection: Connection;
  /** Carries the payload codec: everything it sends is encrypted, everything it reads decrypted. */
  client: Client;
  /** The codec of `client`, for the worker and the codec endpoint. */
  payloadCodec: PayloadCodec;
  /** Resolves when Temporal answers within `timeoutMs`; throws UnavailableError('temporal') otherwise. */
  ping(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** Builds the client without touching the network; the first call (or `ping`) connects. */
export function createTemporal(opts: {
  address: string;
  namespace: string;
  payloadCodec: PayloadCodec;
}): TemporalHandle {
  const connection = Connection.lazy({ address: opts.address });
  // Readiness probes go through a connection without the SDK's retry interceptor: a probe must answer
  // within its deadline, and a retry timer left pending would fire on a closed channel after shutdown.
  const probe = Connection.lazy({ address: opts.address, interceptors: [] });
  const client = new Client({
    connection,
    namespace: opts.namespace,
    dataConverter: { payloadCodecs: [opts.payloadCodec], failureConverterPath: FAILURE_CONVERTER_PATH },
  });
  return {
    connection,
    client,
    payloadCodec: opts.payloadCodec,
    async ping(timeoutMs = 1000) {
      try {
        await probe.withDeadline(Date.now() + timeoutMs, () => probe.workflowService.getSystemInfo({}));
      } catch (err) {
        throw Object.assign(new UnavailableError('temporal'), { cause: err });
      }
    },
    async close() {
      await Promise.allSettled([connection.close(), probe.close()]);
    },
  };
}
