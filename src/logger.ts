import pino, { type DestinationStream, type Logger } from 'pino';
import { redactText } from './redact';

export type { Logger };

/**
 * JSON logs; secrets and credentials are redacted wherever they appear. Written to stdout asynchronously: a
 * synchronous write per access line was a measurable share of a cheap request (bench/api.ts profile); pino
 * flushes the buffer when the process exits. Error messages and stacks lose any token they quote (a link's
 * query string, a JWT). `destination` replaces stdout (tests read the lines).
 */
export function createLogger(level: string, name = 'subtracker', destination?: DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    name,
    level,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        '*.password',
        '*.new_password',
        '*.current_password',
        '*.refresh_token',
        '*.access_token',
        '*.apiKey',
        '*.secret',
      ],
      censor: '[redacted]',
    },
    serializers: { err: serializeError },
  };
  if (destination) return pino(options, destination);
  return level === 'silent' ? pino(options) : pino(options, pino.destination({ dest: 1, sync: false }));
}

/** pino's error serializer, with any token its message or stack quotes redacted. */
export function serializeError(err: Error): pino.SerializedError {
  const out = pino.stdSerializers.err(err);
  if (typeof out.message === 'string') out.message = redactText(out.message);
  if (typeof out.stack === 'string') out.stack = redactText(out.stack);
  return out;
}
