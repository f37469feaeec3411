import crypto from 'node:crypto';
import type { PayloadCodec } from '@temporalio/common';
import { FAILURE_CONVERTER_PATH } from '../../src/temporal/failure-converter-path';
import { createPayloadCodec, type PayloadKey } from '../../src/temporal/payload-codec';

/**
 * The payload key every Temporal piece of a test file shares (test app's client, workers, the test
 * environment's client), so the suites run with the codec in place as production does. New per test file.
 */
export const TEST_PAYLOAD_KEY: PayloadKey = { id: 'test', key: crypto.randomBytes(32).toString('base64') };

/** TEST_PAYLOAD_KEY as TEMPORAL_PAYLOAD_KEYS takes it. */
export const TEST_PAYLOAD_KEYS = `${TEST_PAYLOAD_KEY.id}:${TEST_PAYLOAD_KEY.key}`;

export function testPayloadCodec(): PayloadCodec {
  return createPayloadCodec([TEST_PAYLOAD_KEY]);
}

/** The data converter of a test client that reads and writes what the test workers do (as createTemporal's). */
export function testDataConverter(): { payloadCodecs: PayloadCodec[]; failureConverterPath: string } {
  return { payloadCodecs: [testPayloadCodec()], failureConverterPath: FAILURE_CONVERTER_PATH };
}
