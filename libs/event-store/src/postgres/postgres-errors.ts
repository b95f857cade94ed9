import { WrongExpectedRevisionError } from '../event-store.port.js';
import type { PostgresLocation } from './postgres-url.js';

/**
 * A PostgreSQL failure as an error operators can act on: where (host:port/database and schema, never the
 * password), what provsync was doing, and the server's code and message. The server's DETAIL, which can quote
 * row values, is left out so no personal data reaches a log. WrongExpectedRevisionError passes through as it is.
 */
export function describePostgresError(location: PostgresLocation, doing: string, error: unknown): Error {
  if (error instanceof WrongExpectedRevisionError) return error;
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  const reason = [code, message].filter(Boolean).join(' ') || String(error);
  return new Error(`PostgreSQL event store at ${location.display} (schema ${location.schema}): ${doing}: ${reason}`, { cause: error });
}
