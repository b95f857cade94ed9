import { createHash } from 'node:crypto';

const NIL_NAMESPACE = Buffer.alloc(16);

/**
 * UUID v5 (RFC 4122 §4.3) of `name` in the nil namespace: how Skolverket derives the ids of school units,
 * organisers, programmes and national-test activities from their codes.
 */
export function uuidv5(name: string): string {
  const hash = createHash('sha1').update(NIL_NAMESPACE).update(name, 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}
