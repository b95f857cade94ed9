import { createHash } from 'node:crypto';
import type { ExpectedRevision } from '../event-store.port.js';

/**
 * Pure translations between the port and KurrentDB's terms. The client's constants are plain strings
 * ('any', 'no_stream', 'start'), spelled out here so this file needs no client import and is testable alone.
 */

export type KurrentStreamState = 'any' | 'no_stream' | bigint;

export function toStreamState(expected: ExpectedRevision): KurrentStreamState {
  if (expected === 'any' || expected === 'no_stream') return expected;
  if (!Number.isSafeInteger(expected) || expected < 0) throw new RangeError(`expected revision ${expected} is not a stream revision`);
  return BigInt(expected);
}

/** The client reports a stream's state as `no_stream` or its last revision (a bigint). */
export function fromCurrentState(state: 'no_stream' | bigint | string | undefined): number | 'no_stream' {
  if (state === undefined || state === 'no_stream') return 'no_stream';
  if (typeof state === 'bigint') return state < 0n ? 'no_stream' : Number(state);
  const n = Number(state);
  return Number.isInteger(n) && n >= 0 ? n : 'no_stream';
}

/** Whether a stream whose last revision is `current` satisfies `expected`. */
export function satisfies(expected: ExpectedRevision, current: number | 'no_stream'): boolean {
  return expected === 'any' || expected === current;
}

/**
 * provsync's namespace for event ids derived from idempotency keys. Fixed forever: changing it would make
 * every stored key look new to the duplicate check. (uuidv5('provsync event-store idempotency key') over the nil namespace.)
 */
export const EVENT_ID_NAMESPACE = uuidv5('provsync event-store idempotency key', '00000000-0000-0000-0000-000000000000');

/** RFC 9562 name-based UUID (version 5, SHA-1). */
export function uuidv5(name: string, namespace: string): string {
  const hash = createHash('sha1').update(Buffer.from(namespace.replace(/-/g, ''), 'hex')).update(name, 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The event id an idempotency key is stored under: the same key always gives the same id. */
export const eventIdFor = (idempotencyKey: string): string => uuidv5(idempotencyKey, EVENT_ID_NAMESPACE);

/**
 * Event metadata as stored: a flat object of strings, because KurrentDB 25.1's multi-stream append takes
 * nothing else. The port's metadata (any JSON object) travels as one JSON string; the key and an imported
 * event's original time beside it. Other properties a server adds on read are ignored.
 */
export const META = {
  metadata: 'provsync.metadata',
  idempotencyKey: 'provsync.idempotencyKey',
  recordedAt: 'provsync.recordedAt',
} as const;

export interface PortMetadata {
  metadata: Record<string, unknown>;
  idempotencyKey?: string;
  /** Only for imported events: the time the original store recorded them. */
  recordedAt?: string;
}

export function encodeMetadata({ metadata, idempotencyKey, recordedAt }: PortMetadata): Record<string, string> {
  const stored: Record<string, string> = {};
  if (Object.keys(metadata).length > 0) stored[META.metadata] = JSON.stringify(metadata);
  if (idempotencyKey !== undefined) stored[META.idempotencyKey] = idempotencyKey;
  if (recordedAt !== undefined) stored[META.recordedAt] = recordedAt;
  return stored;
}

export function decodeMetadata(stored: unknown): PortMetadata {
  if (stored === null || typeof stored !== 'object' || Array.isArray(stored) || stored instanceof Uint8Array) return { metadata: {} };
  const fields = stored as Record<string, unknown>;
  const json = fields[META.metadata];
  const decoded: PortMetadata = { metadata: typeof json === 'string' ? (JSON.parse(json) as Record<string, unknown>) : {} };
  const key = fields[META.idempotencyKey];
  const recordedAt = fields[META.recordedAt];
  if (typeof key === 'string') decoded.idempotencyKey = key;
  if (typeof recordedAt === 'string') decoded.recordedAt = recordedAt;
  return decoded;
}

/**
 * A $all position (commit, prepare) as the port's one bigint, and back. Both halves are kept because events
 * written together may share a commit position on some servers; ordering by the pair is $all's order, and
 * commit * 2^64 + prepare orders the same way (each half is an unsigned 64-bit log offset).
 */
export interface LogPosition {
  commit: bigint;
  prepare: bigint;
}

const HALF = 64n;
const MASK = (1n << HALF) - 1n;
/** What servers send where they have no position (stream reads before 22.6): u64's maximum. */
const NO_POSITION = MASK;

export function encodePosition(position: LogPosition | undefined): bigint {
  if (!position || position.commit === NO_POSITION || position.commit < 0n || position.prepare < 0n) return 0n;
  return (position.commit << HALF) | (position.prepare & MASK);
}

export function decodePosition(position: bigint): LogPosition {
  if (position < 0n) throw new RangeError('a store position is never negative');
  return { commit: position >> HALF, prepare: position & MASK };
}

/** Whether an event of `stream` (as named on the server) of `type` is provsync's, and wanted by a `types` filter. */
export function isWanted(serverStream: string, type: string, streamPrefix: string, types: ReadonlySet<string> | undefined): boolean {
  return serverStream.startsWith(streamPrefix) && !type.startsWith('$') && (types === undefined || types.has(type));
}
