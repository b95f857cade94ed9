import { refKey, SYNC_EVENT_TYPES, type SyncEvent } from '../sync/sync-events.js';
import { acknowledge, evolveSync, type SyncState } from '../sync/sync-state.js';
import { type HeldObject, RECONCILE_EVENT_TYPES, type ReconcileEvent, isReconcileEvent } from './reconcile-events.js';

/** A reconcile under way: what it has seen so far, and what the sync's own answers changed meanwhile. */
export interface ReconcileRun {
  runId: string;
  held: Map<string, HeldObject>;
  /** Objects a job result acknowledged or removed during the run: newer than what the run may have read. */
  touched: Set<string>;
}

/** Every event the sync stream holds, and how the sync's state folds it. */
export type SyncRecord = SyncEvent | ReconcileEvent;
export const SYNC_RECORD_TYPES: readonly SyncRecord['type'][] = [...SYNC_EVENT_TYPES, ...RECONCILE_EVENT_TYPES];

export function evolveSyncRecord(state: SyncState, event: SyncRecord): SyncState {
  if (isReconcileEvent(event)) evolveReconcile(state, event);
  else evolveSync(state, event);
  return state;
}

/**
 * Folds a reconcile event into the sync state; returns the keys whose acknowledged state changed. Nothing changes
 * until the run completes: then what Skolverket holds becomes what is acknowledged (held and equal: in sync;
 * held and different: sent again; held and not desired: deleted, after whatever refers to it), and what it does
 * not hold is no longer acknowledged. Objects in flight, or answered for during the run, keep what the sync knows.
 */
export function evolveReconcile(state: SyncState, event: ReconcileEvent): string[] {
  switch (event.type) {
    case 'ReconcileStarted':
      state.reconcile = { runId: event.data.runId, held: new Map(), touched: new Set() };
      return [];
    case 'SkolverketHoldingsRead': {
      const run = state.reconcile;
      if (run?.runId !== event.data.runId) return [];
      for (const item of event.data.held) run.held.set(refKey({ type: event.data.objectType, id: item.id }), item);
      return [];
    }
    case 'ReconcileCompleted': {
      const run = state.reconcile;
      if (run?.runId !== event.data.runId) return [];
      state.reconcile = undefined;
      return adoptHoldings(state, run, event.data.at);
    }
    default: {
      const exhaustive: never = event;
      return exhaustive;
    }
  }
}

function adoptHoldings(state: SyncState, run: ReconcileRun, at: string): string[] {
  const changed: string[] = [];
  const notHeld = new Set<string>();
  const current = (key: string) => !state.inFlight.has(key) && !run.touched.has(key);
  for (const [key, held] of run.held) {
    if (!current(key)) continue;
    const parked = state.parked.get(key);
    // What was refused is there after all (sent by someone else, or accepted after a lost answer).
    if (parked?.operation === 'upsert' && parked.hash === held.hash) state.parked.delete(key);
    const ack = state.acknowledged.get(key);
    if (ack?.hash === held.hash) continue;
    acknowledge(state, key, { hash: held.hash, refs: held.refs, missingMembers: [], fromReconcile: true });
    changed.push(key);
  }
  for (const key of [...state.acknowledged.keys()]) {
    if (run.held.has(key) || !current(key)) continue;
    acknowledge(state, key, undefined);
    notHeld.add(key);
    changed.push(key);
  }
  for (const [key, parked] of state.parked) {
    if (parked.operation !== 'delete' || run.held.has(key) || !current(key)) continue;
    state.parked.delete(key);
    changed.push(key);
  }
  state.lastReconcile = { runId: run.runId, at, notHeld };
  return changed;
}
