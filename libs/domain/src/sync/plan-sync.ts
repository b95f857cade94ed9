import type { ObjectType } from '@provsync/skolverket-api';
import { type BatchItem, type ObjectRef, type Operation, refKey } from './sync-events.js';
import { retryAt } from './retry-backoff.js';
import { referrersOf, type SyncState } from './sync-state.js';

/** What the desired-state projection says Skolverket should hold of one object. */
export interface DesiredItem {
  type: ObjectType;
  id: string;
  body: unknown;
  hash: string;
  refs: ObjectRef[];
  /** `entryBytes(body)`, when the source knows it without building the body. */
  bytes?: number;
}

export interface PlannedBatch {
  objectType: ObjectType;
  operation: Operation;
  items: BatchItem[];
  /** Upserts: the objects; deletes: the ids. */
  body: unknown[];
}


export type Verdict =
  /** `until`: members a group was accepted without (Warning); once they exist it is sent again. */
  | { state: 'in-sync'; until?: ObjectRef[] }
  | { state: 'in-flight'; batchId: string }
  | { state: 'parked' }
  | { state: 'ready'; operation: Operation }
  | { state: 'waiting'; operation: Operation; on: ObjectRef[] }
  /** A delete the mass-change guard holds: in `holdId` for an operator, or (no id) while another hold is open. */
  | { state: 'held'; holdId?: string }
  /** A delete an operator rejected: the object stays at Skolverket. */
  | { state: 'kept'; holdId: string }
  /** Skolverket answered TemporaryError `count` times in a row: sent again at `at` (ms), not before. */
  | { state: 'retrying'; operation: Operation; at: number; count: number };

const utf8 = new TextEncoder();

/**
 * Compares desired with acknowledged state and says, per object, what to do now. An upsert waits until
 * everything it refers to exists at Skolverket; a delete waits until nothing acknowledged refers to it.
 */
export class SyncPlanner {
  /**
   * `desired` and `state` are read live: the planner holds no copy of either. `deletesMayGo`: whether the
   * mass-change guard lets deletes no operator decided about go now (the sync's decider says; a reader of the
   * recorded state alone shows them as pending).
   */
  constructor(
    private readonly desired: ReadonlyMap<string, DesiredItem>,
    private readonly state: SyncState,
    private readonly deletesMayGo: () => boolean = () => true,
    /** The caller's clock: whether a TemporaryError's wait is over (without one, every wait is shown as running). */
    private readonly nowMs: () => number = () => -Infinity,
  ) {}

  verdict(key: string): Verdict {
    const batchId = this.state.inFlight.get(key);
    if (batchId) return { state: 'in-flight', batchId };
    const desired = this.desired.get(key);
    const ack = this.state.acknowledged.get(key);
    const parked = this.state.parked.get(key);
    if (desired) {
      if (parked?.operation === 'upsert' && parked.hash === desired.hash) return { state: 'parked' };
      const stale = !ack || ack.hash !== desired.hash || ack.missingMembers.some((m) => this.state.acknowledged.has(`person:${m}`));
      if (!stale) return ack.missingMembers.length ? { state: 'in-sync', until: ack.missingMembers.map((id) => ({ type: 'person', id })) } : { state: 'in-sync' };
      const on = desired.refs.filter((ref) => !this.exists(ref) && !this.tolerable(desired, ref));
      return on.length ? { state: 'waiting', operation: 'upsert', on } : this.ready(key, 'upsert');
    }
    if (!ack) return { state: 'in-sync' };
    if (parked?.operation === 'delete') return { state: 'parked' };
    const { holds } = this.state;
    const heldBy = holds.held.get(key);
    if (heldBy) return { state: 'held', holdId: heldBy };
    const keptBy = holds.rejected.get(key);
    if (keptBy) return { state: 'kept', holdId: keptBy };
    if (!holds.approved.has(key) && !this.deletesMayGo()) return { state: 'held' };
    const on = [...referrersOf(this.state, key)].filter((k) => k !== key).map(parseKey);
    return on.length ? { state: 'waiting', operation: 'delete', on } : this.ready(key, 'delete');
  }

  /** Ready, unless Skolverket answered TemporaryError for it and its wait (retryAt) is not over. */
  private ready(key: string, operation: Operation): Verdict {
    const count = this.state.temporaryErrors.get(key);
    const answeredAt = this.state.temporaryErrorAt.get(key);
    if (count && answeredAt !== undefined) {
      const at = retryAt(key, count, answeredAt);
      if (at > this.nowMs()) return { state: 'retrying', operation, at, count };
    }
    return { state: 'ready', operation };
  }

  /** A delete no operator decided about, neither sent nor refused yet: what the mass-change guard counts. */
  isFreshDelete(key: string): boolean {
    const { holds } = this.state;
    return (
      !this.desired.has(key) &&
      this.state.acknowledged.has(key) &&
      !this.state.inFlight.has(key) &&
      this.state.parked.get(key)?.operation !== 'delete' &&
      !holds.held.has(key) &&
      !holds.rejected.has(key) &&
      !holds.approved.has(key)
    );
  }

  /** What Skolverket said when it refused the object, as plain messages. */
  parkedMessages(key: string): string[] {
    return (this.state.parked.get(key)?.messages ?? []).map((m) => (m.attributeName ? `${m.attributeName}: ${m.message}` : m.message));
  }

  /** Every object whose desired and acknowledged state differ, or that is in flight or parked. */
  *outOfSyncKeys(): Iterable<string> {
    for (const key of this.desired.keys()) if (this.verdict(key).state !== 'in-sync') yield key;
    for (const key of this.state.acknowledged.keys()) if (!this.desired.has(key) && this.verdict(key).state !== 'in-sync') yield key;
  }

  private exists(ref: ObjectRef): boolean {
    return this.state.acknowledged.has(refKey(ref));
  }

  /** A group may go before a member Skolverket refused: it is accepted with a Warning and sent again later. */
  private tolerable(desired: DesiredItem, ref: ObjectRef): boolean {
    return desired.type === 'group' && ref.type === 'person' && this.state.parked.has(refKey(ref));
  }

}

/** Bytes one entry adds to a bulk body's array (its JSON and a comma). */
export function entryBytes(entry: unknown): number {
  return utf8.encode(JSON.stringify(entry)).length + 1;
}

/**
 * Packs keys, in order, into one batch until the next would pass `maxBatchBytes`; always at least one.
 * Returns the batch and its body size; the caller removes the keys it took (`batch.items`).
 */
export function packBatch(
  objectType: ObjectType,
  operation: Operation,
  keys: Iterable<string>,
  desired: ReadonlyMap<string, DesiredItem>,
  maxBatchBytes: number,
  sizeOf: (key: string, entry: unknown) => number = (_key, entry) => entryBytes(entry),
): { batch: PlannedBatch; bytes: number } {
  const batch: PlannedBatch = { objectType, operation, items: [], body: [] };
  let bytes = 2; // the enclosing []
  for (const key of keys) {
    const { id } = parseKey(key);
    const item = desired.get(key);
    const entry = operation === 'upsert' ? item!.body : id;
    const size = sizeOf(key, entry);
    if (batch.items.length > 0 && bytes + size > maxBatchBytes) break;
    batch.items.push(operation === 'upsert' ? { id, hash: item!.hash, refs: item!.refs } : { id, hash: '', refs: [] });
    batch.body.push(entry);
    bytes += size;
  }
  return { batch, bytes };
}

export function parseKey(key: string): ObjectRef {
  const colon = key.indexOf(':');
  return { type: key.slice(0, colon) as ObjectType, id: key.slice(colon + 1) };
}
