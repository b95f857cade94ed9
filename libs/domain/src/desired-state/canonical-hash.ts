import { hash } from 'node:crypto';

/** JSON with object keys sorted at every level, so that key order never changes the hash. */
export const canonicalJson = (value: unknown): string => JSON.stringify(withSortedKeys(value)) ?? 'null';

// Rebuilding the value and letting native JSON.stringify write it is faster than writing it by hand.
function withSortedKeys(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(withSortedKeys);
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length > 1) keys.sort();
  const sorted: Record<string, unknown> = {};
  for (const key of keys) sorted[key] = withSortedKeys(record[key]);
  return sorted;
}

// One-shot: a Hash object per desired object was native memory and GC work on a full rebuild.
export const sha256Hex = (text: string): string => hash('sha256', text, 'hex');

export const hashBody = (body: unknown): string => sha256Hex(canonicalJson(body));
