import { deserialize, serialize } from 'node:v8';
import { type Acknowledged, initialSyncState, type SyncState } from '@provsync/domain';
import { OBJECT_TYPES } from '@provsync/skolverket-api';
import { StringTable } from './columns.js';

/**
 * The sync's state as one buffer, and back. Whatever its shape (new fields arrive with new features), it goes
 * through v8's serializer as it is, and the class instances in it (the reverse indexes) get their prototypes back
 * from a fresh state; only `acknowledged`, the one map as large as the desired state, is written as columns.
 */
export function encodeSyncState(state: SyncState): Uint8Array {
  const t = new StringTable();
  const n = state.acknowledged.size;
  const keys = new Uint32Array(n);
  const hashes: string[] = [];
  const refCounts = new Uint32Array(n);
  const refTypes: number[] = [];
  const refIds: number[] = [];
  const missing: [number, string[]][] = [];
  const fromReconcile: number[] = [];
  let i = 0;
  for (const [key, ack] of state.acknowledged) {
    keys[i] = t.index(key);
    hashes.push(ack.hash);
    refCounts[i] = ack.refs.length;
    for (const ref of ack.refs) {
      refTypes.push(OBJECT_TYPES.indexOf(ref.type));
      refIds.push(t.index(ref.id));
    }
    if (ack.missingMembers.length) missing.push([i, ack.missingMembers]);
    if (ack.fromReconcile) fromReconcile.push(i);
    i++;
  }
  const { acknowledged: _columns, ...rest } = state;
  const acknowledged = { keys, hashes, refCounts, refTypes: Uint8Array.from(refTypes), refIds: Uint32Array.from(refIds), missing, fromReconcile: Uint32Array.from(fromReconcile) };
  return serialize({ acknowledged, rest, strings: t.strings });
}

export function decodeSyncState(bytes: Uint8Array): SyncState {
  const { acknowledged: c, rest, strings } = deserialize(bytes) as {
    acknowledged: { keys: Uint32Array; hashes: string[]; refCounts: Uint32Array; refTypes: Uint8Array; refIds: Uint32Array; missing: [number, string[]][]; fromReconcile?: Uint32Array };
    rest: Omit<SyncState, 'acknowledged'>;
    strings: string[];
  };
  const missing = new Map(c.missing);
  const fromReconcile = new Set(c.fromReconcile ?? []);
  const acknowledged = new Map<string, Acknowledged>();
  let at = 0;
  for (let i = 0; i < c.keys.length; i++) {
    const n = c.refCounts[i]!;
    const refs = new Array<Acknowledged['refs'][number]>(n);
    for (let r = 0; r < n; r++, at++) refs[r] = { type: OBJECT_TYPES[c.refTypes[at]!]!, id: strings[c.refIds[at]!]! };
    const ack: Acknowledged = { hash: c.hashes[i]!, refs, missingMembers: missing.get(i) ?? NO_MEMBERS };
    if (fromReconcile.has(i)) ack.fromReconcile = true;
    acknowledged.set(strings[c.keys[i]!]!, ack);
  }
  const state = { ...rest, acknowledged } as SyncState;
  revivePrototypes(state, initialSyncState());
  return state;
}

const NO_MEMBERS: string[] = [];

/** Gives each class instance of `template` (at the same path in `value`) its prototype back: the serializer keeps only data. */
function revivePrototypes(value: unknown, template: unknown): void {
  if (template === null || typeof template !== 'object' || value === null || typeof value !== 'object') return;
  const proto = Object.getPrototypeOf(template) as object | null;
  if (proto === Object.prototype) {
    for (const [key, inner] of Object.entries(template)) revivePrototypes((value as Record<string, unknown>)[key], inner);
  } else if (proto && !(template instanceof Map) && !(template instanceof Set) && !Array.isArray(template)) {
    Object.setPrototypeOf(value, proto);
  }
}
