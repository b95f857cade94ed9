import type { ObjectType } from '@provsync/skolverket-api';
import type { BatchItem } from '../sync/sync-events.js';

/**
 * One object as Skolverket holds it: its id, the canonical hash of its body without Skolverket's own fields
 * (the hash the sync sends under), and what it refers to. `hash` is '' when the content was not read: a person
 * provsync does not want, which the list shows only in part and which is deleted whatever it holds.
 */
export type HeldObject = BatchItem;

/** A reconcile began reading what Skolverket holds; what it reads counts once it is complete. */
export interface ReconcileStarted {
  type: 'ReconcileStarted';
  data: { runId: string; at: string };
}

/** What one read call (a list page, or a lookup of persons' full bodies) showed Skolverket holds. */
export interface SkolverketHoldingsRead {
  type: 'SkolverketHoldingsRead';
  data: { runId: string; objectType: ObjectType; held: HeldObject[]; at: string };
}

/** Every type was read to its last page: what was not seen is not held. */
export interface ReconcileCompleted {
  type: 'ReconcileCompleted';
  data: { runId: string; at: string };
}

export type ReconcileEvent = ReconcileStarted | SkolverketHoldingsRead | ReconcileCompleted;

export const RECONCILE_EVENT_TYPES: readonly ReconcileEvent['type'][] = ['ReconcileStarted', 'SkolverketHoldingsRead', 'ReconcileCompleted'];

export const isReconcileEvent = (event: { type: string }): event is ReconcileEvent =>
  (RECONCILE_EVENT_TYPES as readonly string[]).includes(event.type);
