import type { Activity, Duty, Group, ObjectType, Person } from '@provsync/skolverket-api';

import { sha256Hex, canonicalJson } from './canonical-hash.js';
import type { ObjectRef } from './verdict.js';

type Body = Person | Duty | Group | Activity;

/** One object Skolverket should hold, with the content it should have. */
export interface DesiredObject {
  type: ObjectType;
  id: string;
  /** Rebuilt from the SIS state on each read: send it, do not keep it. */
  readonly body: Body;
  /** sha256 of the canonical JSON of `body`: equal content, equal hash. */
  hash: string;
  /** What must exist at Skolverket before this object is sent. */
  refs: ObjectRef[];
  /** Bytes of `body` as JSON, as an entry of a bulk body's array (its comma included). */
  bytes: number;
}

/** The body the rules give an object now (the same the hash was taken of while the SIS state is unchanged). */
export type BodySource = (type: ObjectType, id: string) => Body | undefined;

/**
 * A desired object without its body: 200,000 bodies held as objects were the largest part of the sync's
 * memory, and only the few hundred of a batch are needed at a time, when it is sent.
 */
class Desired implements DesiredObject {
  constructor(
    readonly type: ObjectType,
    readonly id: string,
    readonly hash: string,
    readonly refs: ObjectRef[],
    readonly bytes: number,
    private readonly source: BodySource,
    /** This object as a reference, one for all that refer to it (and for its later versions). */
    readonly ref: ObjectRef,
  ) {}

  get body(): Body {
    const body = this.source(this.type, this.id);
    if (body === undefined) throw new Error(`${this.type} ${this.id} is no longer desired`);
    return body;
  }
}

/** UTF-8 bytes of `text`, counted without encoding it (once per object on a full rebuild). */
function utf8Length(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) continue;
    if (unit < 0x800) bytes += 1;
    else if (unit >= 0xd800 && unit <= 0xdbff) {
      bytes += 2; // a surrogate pair: two units, four bytes
      i++;
    } else bytes += 2;
  }
  return bytes;
}

/** Shared by every desired object that refers to nothing (all persons): one empty array, not 165,000. */
const NO_REFS: ObjectRef[] = [];

const KEY_PREFIX: Record<ObjectType, string> = { person: 'person:', duty: 'duty:', group: 'group:', activity: 'activity:' };

/** `type:id`, with `type:` one shared string per type (not a fresh one in every key). */
export const desiredKey = (type: ObjectType, id: string): string => (KEY_PREFIX[type] ?? `${type}:`) + id;

/** One desired object as plain data; `ref` is the one object every reference to it shares (kept shared when serialised). */
export interface DesiredObjectState {
  hash: string;
  refs: ObjectRef[];
  bytes: number;
  ref: ObjectRef;
}

export type DesiredObjectsState = Record<ObjectType, Map<string, DesiredObjectState>>;

/** The desired objects by type, recording the key of each one added, changed or removed. */
export class DesiredObjects {
  constructor(private readonly source: BodySource) {}

  /** The objects as plain data: a copy of their fields, sharing the ref objects (serialise it before changing them). */
  exportState(): DesiredObjectsState {
    const state = {} as DesiredObjectsState;
    for (const [type, map] of Object.entries(this.byType) as [ObjectType, Map<string, Desired>][]) {
      const own = new Map<string, DesiredObjectState>();
      for (const [id, d] of map) own.set(id, { hash: d.hash, refs: d.refs, bytes: d.bytes, ref: d.ref });
      state[type] = own;
    }
    return state;
  }

  /** Takes `state`'s objects (an empty instance only). */
  importState(state: DesiredObjectsState): void {
    for (const [type, map] of Object.entries(state) as [ObjectType, Map<string, DesiredObjectState>][]) {
      const own = this.byType[type];
      for (const [id, d] of map) own.set(id, new Desired(type, id, d.hash, d.refs.length ? d.refs : NO_REFS, d.bytes, this.source, d.ref));
    }
  }

  private readonly byType: Record<ObjectType, Map<string, Desired>> = {
    person: new Map(),
    duty: new Map(),
    group: new Map(),
    activity: new Map(),
  };

  get(type: ObjectType, id: string): DesiredObject | undefined {
    return this.byType[type].get(id);
  }

  list(type: ObjectType): DesiredObject[] {
    return [...this.byType[type].values()];
  }

  values(type: ObjectType): IterableIterator<DesiredObject> {
    return this.byType[type].values();
  }

  count(type: ObjectType): number {
    return this.byType[type].size;
  }

  put(type: ObjectType, id: string, body: Body | undefined, refs: ObjectRef[], changed: Set<string>): void {
    const map = this.byType[type];
    const before = map.get(id);
    if (body === undefined) {
      if (before && map.delete(id)) changed.add(desiredKey(type, id));
      return;
    }
    const json = canonicalJson(body);
    const hash = sha256Hex(json);
    if (before?.hash === hash && sameRefs(before.refs, refs)) return;
    const ref = before?.ref ?? { type, id };
    map.set(id, new Desired(type, id, hash, this.shared(refs), utf8Length(json) + 1, this.source, ref));
    changed.add(desiredKey(type, id));
  }

  /**
   * The refs with each desired object's own ref in place of a copy: 500,000 group members as `{type, id}`
   * objects with their own id strings were ~45 MB at 150,000 pupils.
   */
  private shared(refs: ObjectRef[]): ObjectRef[] {
    if (refs.length === 0) return NO_REFS;
    return refs.map((ref) => this.byType[ref.type].get(ref.id)?.ref ?? ref);
  }
}

const sameRefs = (a: ObjectRef[], b: ObjectRef[]): boolean =>
  a.length === b.length && a.every((ref, i) => ref.type === b[i]!.type && ref.id === b[i]!.id);
