/**
 * The process' structured logger: one JSON line per event. Modules take a child logger that
 * names them; events about a replicator or a user mask carry those as fields.
 */
import pino from 'pino';

export type Logger = pino.Logger;

const REDACTED = ['password', '*.password', 'authorization', '*.authorization', 'cookie'];

export const rootLogger: Logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'silent' : 'info'),
  base: { pid: process.pid },
  redact: { paths: REDACTED, censor: '[secret]' },
  timestamp: pino.stdTimeFunctions.isoTime,
});

/** A logger for one module of the server. */
export function moduleLogger(module: string, fields: Record<string, unknown> = {}): Logger {
  return rootLogger.child({ module, ...fields });
}
