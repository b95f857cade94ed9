import { OBJECT_TYPES, type ObjectType } from '@provsync/skolverket-api';
import { ReverseIndex } from '../desired-state/reverse-index.js';
import { type DesiredItem, entryBytes, packBatch, parseKey, type PlannedBatch, SyncPlanner } from './plan-sync.js';
import { type Operation, refKey } from './sync-events.js';
import type { SyncState } from './sync-state.js';

/** Upserts Person → Activity, then deletes Activity → Person: the order Skolverket needs them in. */
export const SEND_ORDER: ReadonlyArray<{ operation: Operation; objectType: ObjectType }> = [
  ...OBJECT_TYPES.map((objectType) => ({ operation: 'upsert' as const, objectType })),
  ...[...OBJECT_TYPES].reverse().map((objectType) => ({ operation: 'delete' as const, objectType })),
];

interface ReadyPool {
  /** Ready keys (in the order they became ready) → the bytes each adds to a batch body. */
  keys: Map<string, number>;
  /** Body bytes of the pool's entries, to tell whether a full batch can be packed. */
  bytes: number;
  /** When the oldest key still in the pool became ready (caller's clock, ms). */
  since?: number;
}

export interface TakeOptions {
  maxBatchBytes: number;
  /** Caller's clock (ms): how long keys have been ready decides whether a part-filled batch may go. */
  nowMs: number;
  /** A part-filled batch goes once its oldest key has waited this long, even while more could join it. */
  maxHoldMs: number;
  /** Whether more keys of this pool may still become ready (jobs it depends on are open). */
  moreMayCome: (operation: Operation, objectType: ObjectType) => boolean;
}

/**
 * The sync planner made incremental: it keeps, per operation and type, the keys that are ready to send, and
 * re-judges only keys something could have changed for (their desired state changed, Skolverket answered
 * for them, or an object they wait on changed). One full pass at the start; afterwards each job result or
 * desired change costs only what it reaches, so a 200,000-object load is not re-planned per job.
 */
export class SyncWorklist {
  private readonly planner: SyncPlanner;
  private readonly dirty = new Set<string>();
  /**
   * `type:id` → keys whose verdict may change when that object's state at Skolverket changes (one key as
   * the string itself). An upsert waits on the first object it lacks only: it cannot be ready before that
   * one exists, and once it does, the upsert is judged again and waits on the next. Waiting on all of them
   * put each pupil in a Set of the groups waiting for it: ~30 MB at 150,000 pupils.
   */
  private readonly waiters = new ReverseIndex();
  private readonly pools = new Map<string, ReadyPool>();
  /** Deletes no operator decided about (what the mass-change guard counts), and a count of their changes. */
  private readonly fresh = new Set<string>();
  private freshChanges = 0;
  /** Keys waiting out a TemporaryError → when they may go (ms); judged again then. */
  private readonly retrying = new Map<string, number>();
  /** The clock of the last refresh, for the planner's TemporaryError waits. */
  private clockMs = -Infinity;

  constructor(
    private readonly desired: ReadonlyMap<string, DesiredItem>,
    state: SyncState,
    deletesMayGo?: () => boolean,
  ) {
    this.planner = new SyncPlanner(desired, state, deletesMayGo, () => this.clockMs);
    for (const key of desired.keys()) this.dirty.add(key);
    for (const key of state.acknowledged.keys()) this.dirty.add(key);
  }

  /** Desired state changed for these keys (the projection says which). */
  desiredChanged(keys: Iterable<string>): void {
    for (const key of keys) this.dirty.add(key);
  }

  /** Skolverket's view of these objects changed (sent, answered, refused): they and their waiters are re-judged. */
  stateChanged(keys: Iterable<string>): void {
    for (const key of keys) {
      this.dirty.add(key);
      for (const waiter of this.waiters.take(key)) this.dirty.add(waiter);
    }
  }

  /** Whether any key is ready to send (after re-judging what changed). */
  hasReady(nowMs: number): boolean {
    this.refresh(nowMs);
    for (const pool of this.pools.values()) if (pool.keys.size > 0) return true;
    return false;
  }

  /**
   * The next batch worth sending now, in dependency order: a full one, or a part-filled one when nothing more
   * can join it or its oldest key has waited `maxHoldMs`. Taken keys leave the ready pools.
   */
  take(options: TakeOptions): { batch: PlannedBatch; bytes: number } | undefined {
    this.refresh(options.nowMs);
    const candidates = SEND_ORDER.map((o) => ({ ...o, pool: this.pools.get(poolKey(o.operation, o.objectType)) })).filter(
      (c): c is typeof c & { pool: ReadyPool } => (c.pool?.keys.size ?? 0) > 0,
    );
    // The earliest kind in dependency order that is worth a call now. A remainder that can no longer grow goes
    // before later kinds' full batches: it costs the same one call either way, and its dependents wait for it
    // (held back behind full Activity batches, the last Persons made the load end on three job delays).
    const chosen = candidates.find(
      (c) =>
        c.pool.bytes >= options.maxBatchBytes * 0.97 ||
        !options.moreMayCome(c.operation, c.objectType) ||
        options.nowMs - (c.pool.since ?? options.nowMs) >= options.maxHoldMs,
    );
    if (!chosen) return undefined;
    const { pool } = chosen;
    const packed = packBatch(chosen.objectType, chosen.operation, pool.keys.keys(), this.desired, options.maxBatchBytes, (key) => pool.keys.get(key)!);
    for (const item of packed.batch.items) this.unready(refKey({ type: chosen.objectType, id: item.id }));
    if (chosen.pool.keys.size > 0) chosen.pool.since = options.nowMs;
    return packed;
  }

  /** Deletes no operator decided about (after re-judging what changed), and a number that moves when they change. */
  freshDeletes(nowMs: number): { keys: ReadonlySet<string>; version: number } {
    this.refresh(nowMs);
    return { keys: this.fresh, version: this.freshChanges };
  }

  /** The deletes counted fresh when last judged (without judging what changed since). */
  freshKeys(): ReadonlySet<string> {
    return this.fresh;
  }

  /** Objects waiting out a TemporaryError (work left, none of it due yet). */
  retryingCount(): number {
    return this.retrying.size;
  }

  /** When the first of them may go (Infinity if none). */
  nextRetryAt(): number {
    let next = Infinity;
    for (const at of this.retrying.values()) next = Math.min(next, at);
    return next;
  }

  /** The ready pool of one operation and type, for tests and status. */
  readyCount(operation: Operation, objectType: ObjectType): number {
    return this.pools.get(poolKey(operation, objectType))?.keys.size ?? 0;
  }

  private refresh(nowMs: number): void {
    this.clockMs = nowMs;
    for (const [key, at] of this.retrying) if (at <= nowMs) this.dirty.add(key);
    for (const key of this.dirty) {
      this.unready(key);
      this.retrying.delete(key);
      const verdict = this.planner.verdict(key);
      this.noteFresh(key);
      if (verdict.state === 'ready') this.makeReady(key, verdict.operation, nowMs);
      else if (verdict.state === 'waiting') this.waitOn(refKey(verdict.on[0]!), key);
      else if (verdict.state === 'retrying') this.retrying.set(key, verdict.at);
      else if (verdict.state === 'in-sync' && verdict.until) for (const ref of verdict.until) this.waitOn(refKey(ref), key);
    }
    this.dirty.clear();
  }

  private noteFresh(key: string): void {
    const fresh = this.planner.isFreshDelete(key);
    if (fresh === this.fresh.has(key)) return;
    if (fresh) this.fresh.add(key);
    else this.fresh.delete(key);
    this.freshChanges++;
  }

  private makeReady(key: string, operation: Operation, nowMs: number): void {
    const { type, id } = parseKey(key);
    const name = poolKey(operation, type);
    let pool = this.pools.get(name);
    if (!pool) this.pools.set(name, (pool = { keys: new Map(), bytes: 0 }));
    const item = this.desired.get(key);
    const size = operation === 'upsert' ? (item!.bytes ?? entryBytes(item!.body)) : entryBytes(id);
    if (pool.keys.size === 0) pool.since = nowMs;
    pool.keys.set(key, size);
    pool.bytes += size;
  }

  /** Takes the key out of its ready pool, if it is in one (the upsert or the delete pool of its type). */
  private unready(key: string): void {
    const { type } = parseKey(key);
    for (const operation of ['upsert', 'delete'] as const) {
      const pool = this.pools.get(poolKey(operation, type));
      const size = pool?.keys.get(key);
      if (size === undefined) continue;
      pool!.keys.delete(key);
      pool!.bytes -= size;
    }
  }

  private waitOn(target: string, waiter: string): void {
    this.waiters.add(target, waiter);
  }
}

const poolKey = (operation: Operation, type: ObjectType) => `${operation}:${type}`;
