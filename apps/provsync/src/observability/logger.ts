import { AsyncLocalStorage } from 'node:async_hooks';
import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import pretty from 'pino-pretty';
import type { LogSettings } from './log-settings.js';

export type { Logger } from 'pino';

/**
 * Field names that hold personal data in SS12000 and Skolverket objects, in request headers and in our own
 * vocabulary. Log calls never pass such objects; these are redacted by path as a second line of defence,
 * at the top level and two levels down (`{ person: { civicNo } }`, `{ data: { emails: [...] } }`).
 */
const PERSONAL_FIELDS = [
  'civicNo', 'civicNumber', 'personnummer', 'personalNumber', 'givenName', 'middleName', 'familyName', 'firstName',
  'lastName', 'fullName', 'email', 'emails', 'emailAddress', 'phoneNumber', 'phoneNumbers', 'address', 'addresses',
  'birthDate', 'eppn', 'authorization', 'cookie',
];

export const REDACTED_PATHS: readonly string[] = PERSONAL_FIELDS.flatMap((field) => [field, `*.${field}`, `*.*.${field}`]);

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
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' },
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
