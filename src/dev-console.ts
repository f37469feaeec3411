import pretty from 'pino-pretty';
import type { DestinationStream } from 'pino';

interface AccessLine {
  req?: { method?: string; url?: string };
  res?: { statusCode?: number };
  responseTime?: number;
}

/**
 * The console of `npm run dev`: one readable line per log entry (time, level, message) instead of JSON, and an
 * access line reads `GET /users/me 200 12ms`. Only the dev entry uses it; the API and worker entries log JSON.
 */
export function devConsoleStream(): DestinationStream {
  return pretty({
    colorize: process.stdout.isTTY,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,name,req,res,responseTime,component,sdkComponent',
    singleLine: true,
    messageFormat: (log, messageKey) => {
      const { req, res, responseTime } = log as AccessLine;
      const message = String(log[messageKey] ?? '');
      if (req?.method && res?.statusCode) {
        return `${req.method} ${req.url} ${res.statusCode} ${responseTime ?? '?'}ms`;
      }
      return log.component === 'temporal-sdk' ? `[temporal] ${message}` : message;
    },
  });
}
