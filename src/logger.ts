import pino, { type Logger } from 'pino';

export type { Logger };

/** JSON logs; secrets and credentials are redacted wherever they appear. */
export function createLogger(level: string, name = 'subtracker'): Logger {
  return pino({
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
  });
}
