import type { SkolverketMessage } from './errors.js';

const MAX_TEXT = 300;

/**
 * Reads an error body of either API (Provisioning: a list of LogEntry; open data: `{code, message}`) into
 * messages without the echoed `parameterValue`/`attributeValue`, which can be personal data.
 */
export function readSkolverketMessages(body: unknown): SkolverketMessage[] {
  if (Array.isArray(body)) return body.flatMap((entry) => (isRecord(entry) ? [toMessage(entry)] : []));
  if (isRecord(body)) return typeof body.message === 'string' ? [toMessage(body)] : [];
  if (typeof body === 'string' && body.trim()) return [{ message: body.trim().slice(0, MAX_TEXT) }];
  return [];
}

/** Skolverket's 403 for a bad bearer token: LogEntry 5002 "Ogiltigt JWT bearer token." */
export function saysTokenInvalid(messages: SkolverketMessage[]): boolean {
  return messages.some((m) => m.id === '5002' || /token/i.test(m.message));
}

function toMessage(entry: Record<string, unknown>): SkolverketMessage {
  const message: SkolverketMessage = { message: text(entry.message) ?? 'no message' };
  const id = text(entry.id) ?? text(entry.code);
  if (id) message.id = id;
  for (const key of ['messageType', 'parameterName', 'attributeName', 'resourceType', 'resourceId'] as const) {
    const value = text(entry[key]);
    if (value) message[key] = value;
  }
  return message;
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value.slice(0, MAX_TEXT);
  if (typeof value === 'number') return String(value);
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
