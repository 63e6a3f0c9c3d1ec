import { pino, type DestinationStream, type Level, type Logger } from 'pino';
import pretty from 'pino-pretty';

// The process's logger. On a terminal (or with LOG_PRETTY=1) lines are written for a person by pino-pretty: time,
// level, message, then the fields. Otherwise (a container, a pipe, a log shipper) one JSON object per line.
// Either way pino's serializers run first — pino-http's (server/api/log-redaction.ts) blank credentials and email
// link tokens — so the pretty lines hold no more than the JSON ones do.

export interface LoggerSettings {
  level: Level | 'silent';
  /** Which part this process runs (STAYFLOW_ROLE), on every line. */
  role: string;
  /** Human-readable lines; unset: when stdout is a terminal. */
  pretty?: boolean;
}

export function createLogger(settings: LoggerSettings, destination?: DestinationStream): Logger {
  const options = { level: settings.level, base: { role: settings.role } };
  const human = settings.pretty ?? process.stdout.isTTY === true;
  if (!human) return destination ? pino(options, destination) : pino(options);
  return pino(
    options,
    pretty({
      destination: destination ?? 1,
      // Written as they come: a start-up failure's last line must not be lost when the process exits right after.
      sync: true,
      translateTime: 'SYS:HH:MM:ss.l',
      // A request is one line (method, path with link tokens blanked, status, time); its headers stay in the JSON.
      messageFormat:
        '[{role}] {msg}{if res.statusCode}: {req.method} {req.url} {res.statusCode} ({responseTime} ms){end}',
      ignore: 'pid,hostname,role,req,res,responseTime',
      colorize: destination ? false : undefined,
    }),
  );
}
