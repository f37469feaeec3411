import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * JSON logs; secrets and credentials are redacted wherever they appear. Written to stdout asynchronously: a
 * synchronous write per access line was a measurable share of a cheap request (bench/api.ts profile); pino
 * flushes the buffer when the process exits.
 */
export function createLogger(level: string, name = 'subtracker'): Logger {
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
  };
  return level === 'silent' ? pino(options) : pino(options, pino.destination({ dest: 1, sync: false }));
}
