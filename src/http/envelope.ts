import { STATUS_CODES } from 'node:http';
import type { FieldErrors } from '../errors';

/** The seed-compatible error body every failure answers with. */
export interface ErrorEnvelope {
  code: number;
  status: string;
  message: string;
  error?: string;
  errors?: FieldErrors;
}

/** Builds the envelope for a status, with the standard reason phrase. */
export function envelope(
  code: number,
  message: string,
  extra: { error?: string; errors?: FieldErrors } = {},
): ErrorEnvelope {
  return { code, status: STATUS_CODES[code] ?? 'Error', message, ...extra };
}
