import { AsyncLocalStorage } from 'node:async_hooks';
import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import pretty from 'pino-pretty';
import type { LogSettings } from './log-settings.js';

export type { Logger } from 'pino';

/**
 * Field names that hold personal data in SS12000 and Skolverket objects, in request headers and in our own
 * vocabulary. Log calls never pass such objects; as a second line of defence, a field of one of these names is
 * redacted wherever it sits in a line's object, down to MAX_REDACT_DEPTH levels.
 */
export const PERSONAL_FIELDS: ReadonlySet<string> = new Set([
  'civicNo', 'civicNumber', 'personnummer', 'personalNumber', 'givenName', 'middleName', 'familyName', 'firstName',
  'lastName', 'fullName', 'email', 'emails', 'emailAddress', 'phoneNumber', 'phoneNumbers', 'address', 'addresses',
  'birthDate', 'eppn', 'authorization', 'cookie',
]);
const MAX_REDACT_DEPTH = 4;
const REDACTED = '[redacted]';

/** The request a log line was written for, so every line an HTTP request caused carries its `reqId`. */
export const requestContext = new AsyncLocalStorage<{ reqId: string }>();

/**
 * The one logger of a `serve` process: pino, one JSON object a line on standard output (`level` as a word, `time`
 * in ISO 8601, `msg`), or pino-pretty's lines with LOG_FORMAT=pretty. Writes are synchronous so the last lines
 * before an exit are not lost.
 */
export function createLogger(settings: LogSettings, destination?: DestinationStream): Logger {
  const options: LoggerOptions = {
    level: settings.level,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    // One pass over the line's own fields: pino's wildcard redact paths cost ~60 µs a line for this list, this ~1 µs.
    formatters: { level: (label) => ({ level: label }), log: (object) => redactPersonal(object, 0) as Record<string, unknown> },
    mixin: () => {
      const request = requestContext.getStore();
      return request ? { reqId: request.reqId } : {};
    },
  };
  return pino(options, destination ?? standardOutput(settings.format));
}

function standardOutput(format: LogSettings['format']): DestinationStream {
  if (format === 'json') return pino.destination({ fd: 1, sync: true });
  return pretty({ sync: true, colorize: process.stdout.isTTY === true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' });
}

/** The value with every personal-data field replaced, copied only where something changed (the caller's objects stay as they were). */
function redactPersonal(value: unknown, depth: number): unknown {
  if (value === null || typeof value !== 'object' || depth > MAX_REDACT_DEPTH || value instanceof Error) return value;
  if (Array.isArray(value)) {
    const items = value.map((item) => redactPersonal(item, depth + 1));
    return items.some((item, i) => item !== value[i]) ? items : value;
  }
  let copy: Record<string, unknown> | undefined;
  for (const [key, field] of Object.entries(value)) {
    const redacted = PERSONAL_FIELDS.has(key) ? REDACTED : redactPersonal(field, depth + 1);
    if (redacted !== field) (copy ??= { ...(value as Record<string, unknown>) })[key] = redacted;
  }
  return copy ?? value;
}
