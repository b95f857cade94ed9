import type { ObjectType } from '@provsync/skolverket-api';
import { ReverseIndex } from '../desired-state/reverse-index.js';
import type { ReconcileRun } from '../reconcile/reconcile-evolve.js';
import {
  type BatchItem,
  type ObjectRef,
  type ObjectResult,
  type Operation,
  refKey,
  type SkolverketMessage,
  type SyncEvent,
} from './sync-events.js';
import { emptyTally, type SyncTally, tallyResults } from './sync-tally.js';
import { emptyHoldBook, evolveHolds, type HoldBook, settleHeldKey } from './hold-book.js';

/** What Skolverket holds of one object, as far as its answers tell. */
export interface Acknowledged {
  hash: string;
  refs: ObjectRef[];
  /** Group members Skolverket did not know when it accepted the group (Warning): send again once they exist. */
  missingMembers: string[];
  /** Set when a reconcile found the object so at Skolverket (not from provsync's own send): `plan` says drift. */
  fromReconcile?: true;
}

/** An object Skolverket refused (Error): left alone until its desired content changes. */
export interface Parked {
  operation: Operation;
  hash: string;
  messages: SkolverketMessage[];
}

export interface OpenBatch {
  batchId: string;
  objectType: ObjectType;
  operation: Operation;
  items: BatchItem[];
  /** What is sent; emptied once Skolverket accepted the job. */
  body: unknown[];
  jobId?: string;
  /** When the submission was recorded, and when Skolverket took it as a job (ISO). */
  startedAt: string;
  acceptedAt?: string;
}

/** Whether Skolverket takes calls, as the client's circuit breaker last said. */
export type SkolverketAvailability = { available: true; since?: string } | { available: false; since: string; reason: string };

export interface SyncState {
  acknowledged: Map<string, Acknowledged>;
  parked: Map<string, Parked>;
  openBatches: Map<string, OpenBatch>;
  inFlight: Map<string, string>;
  /** How often an object answered TemporaryError in a row. */
  temporaryErrors: Map<string, number>;
  /** When the last of those answers was recorded (ms since the epoch): the next try waits from then (retryAt). */
  temporaryErrorAt: Map<string, number>;
  /**
   * Who refers to an object at Skolverket (`type:id` → referrer keys), and who will once an open upsert is
   * accepted. A delete waits until nobody refers to the object. One referrer is kept as the key itself, a
   * few as an array (a Map of counts per referenced pupil was ~30 MB at 150,000 pupils).
   */
  referrers: { acknowledged: ReverseIndex; inFlight: ReverseIndex };
  availability: SkolverketAvailability;
  /** What was sent and answered, per type, for reports. */
  tally: SyncTally;
  /** The mass-change guard's holds, and what operators decided about them. */
  holds: HoldBook;
  /** A reconcile reading Skolverket's holdings (libs/domain/src/reconcile), until it completes. */
  reconcile?: ReconcileRun;
  /** The last completed reconcile, and the objects it found missing that provsync took to be there. */
  lastReconcile?: { runId: string; at: string; notHeld: Set<string> };
}

export function initialSyncState(): SyncState {
  return {
    acknowledged: new Map(),
    parked: new Map(),
    openBatches: new Map(),
    inFlight: new Map(),
    temporaryErrors: new Map(),
    temporaryErrorAt: new Map(),
    referrers: { acknowledged: new ReverseIndex(), inFlight: new ReverseIndex() },
    availability: { available: true },
    tally: emptyTally(),
    holds: emptyHoldBook(),
  };
}

/** Keys that refer to `key` (acknowledged or about to be), each once. */
export function referrersOf(state: SyncState, key: string): Iterable<string> {
  const { acknowledged, inFlight } = state.referrers;
  if (inFlight.count(key) === 0) return acknowledged.of(key);
  return new Set([...acknowledged.of(key), ...inFlight.of(key)]);
}

/** Folds one sync event into the state (mutating it: the state is rebuilt from the stream, never shared). */
export function evolveSync(state: SyncState, event: SyncEvent): SyncState {
  switch (event.type) {
    case 'BatchSubmissionStarted': {
      const { batchId, objectType, operation, items, body, at } = event.data;
      if (operation === 'upsert') state.tally.byType[objectType].sent += items.length;
      state.openBatches.set(batchId, { batchId, objectType, operation, items, body, startedAt: at });
      for (const item of items) {
        const key = refKey({ type: objectType, id: item.id });
        state.inFlight.set(key, batchId);
        if (operation === 'upsert') link(state.referrers.inFlight, item.refs, key, +1);
      }
      return state;
    }
    case 'BatchAccepted': {
      const batch = state.openBatches.get(event.data.batchId);
      if (batch) {
        batch.jobId = event.data.jobId;
        batch.acceptedAt = event.data.at;
        // Skolverket holds the job: the body is never sent again, and 500 of them at 200 KB add up on replay.
        batch.body = [];
      }
      return state;
    }
    case 'BatchRefused': {
      const batch = close(state, event.data.batchId);
      if (batch && !event.data.retry) {
        for (const item of batch.items) park(state, batch, item, [{ message: event.data.reason }]);
      }
      return state;
    }
    case 'JobResultsRecorded': {
      const batch = close(state, event.data.batchId);
      if (batch) applyResults(state, batch, event.data.results, Date.parse(event.data.at));
      if (batch?.operation === 'upsert') tallyResults(state.tally, batch.objectType, batch.items.length, event.data.results);
      return state;
    }
    case 'SkolverketUnavailable':
      state.availability = { available: false, since: event.data.at, reason: event.data.reason };
      return state;
    case 'SkolverketAvailable':
      state.availability = { available: true, since: event.data.at };
      return state;
    case 'HoldPlaced':
    case 'HoldApproved':
    case 'HoldRejected':
      evolveHolds(state.holds, event);
      return state;
    default: {
      const exhaustive: never = event;
      return exhaustive;
    }
  }
}

function close(state: SyncState, batchId: string): OpenBatch | undefined {
  const batch = state.openBatches.get(batchId);
  if (!batch) return undefined;
  state.openBatches.delete(batchId);
  for (const item of batch.items) {
    const key = refKey({ type: batch.objectType, id: item.id });
    if (state.inFlight.get(key) === batchId) state.inFlight.delete(key);
    if (batch.operation === 'upsert') link(state.referrers.inFlight, item.refs, key, -1);
  }
  return batch;
}

export function acknowledge(state: SyncState, key: string, ack: Acknowledged | undefined): void {
  const before = state.acknowledged.get(key);
  if (before) link(state.referrers.acknowledged, before.refs, key, -1);
  if (ack) {
    state.acknowledged.set(key, ack);
    link(state.referrers.acknowledged, ack.refs, key, +1);
  } else state.acknowledged.delete(key);
}

function link(index: ReverseIndex, refs: ObjectRef[], referrer: string, delta: 1 | -1): void {
  for (const ref of refs) {
    if (delta > 0) index.add(refKey(ref), referrer);
    else index.remove(refKey(ref), referrer);
  }
}

function applyResults(state: SyncState, batch: OpenBatch, results: ObjectResult[], atMs: number): void {
  const byId = new Map(results.map((r) => [r.id, r]));
  for (const item of batch.items) {
    const key = refKey({ type: batch.objectType, id: item.id });
    const result = byId.get(item.id) ?? { id: item.id, status: 'Success' };
    // A delete Skolverket answers 404 for has its outcome: the object is not there (a re-sent delete after a
    // crash or a lost answer meets the first one's work). Parking it kept it "acknowledged" for ever, and
    // every delete waiting on it with it.
    const gone = batch.operation === 'delete' && result.status === 'Error' && result.statusCode === 404;
    state.reconcile?.touched.add(key);
    switch (gone ? 'Success' : result.status) {
      case 'Success':
      case 'Warning':
        state.parked.delete(key);
        state.temporaryErrors.delete(key);
        state.temporaryErrorAt.delete(key);
        settleHeldKey(state.holds, key);
        if (batch.operation === 'delete') acknowledge(state, key, undefined);
        else acknowledge(state, key, { hash: item.hash, refs: item.refs, missingMembers: missingMembers(batch, item, result) });
        break;
      case 'Error':
        park(state, batch, item, result.errors ?? []);
        break;
      case 'TemporaryError':
      case 'Pending':
        state.temporaryErrors.set(key, (state.temporaryErrors.get(key) ?? 0) + 1);
        state.temporaryErrorAt.set(key, atMs);
        break;
    }
  }
}

function park(state: SyncState, batch: OpenBatch, item: BatchItem, messages: SkolverketMessage[]): void {
  const key = refKey({ type: batch.objectType, id: item.id });
  state.parked.set(key, { operation: batch.operation, hash: item.hash, messages });
  state.temporaryErrors.delete(key);
  state.temporaryErrorAt.delete(key);
}

const NO_MEMBERS: string[] = [];

/** Members of a group that a Warning names as unknown to Skolverket. */
function missingMembers(batch: OpenBatch, item: BatchItem, result: ObjectResult): string[] {
  if (batch.objectType !== 'group' || !result.warnings?.length) return NO_MEMBERS;
  const said = JSON.stringify(result.warnings);
  return item.refs.filter((ref) => ref.type === 'person' && said.includes(ref.id)).map((ref) => ref.id);
}
