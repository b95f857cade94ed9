import type { ObjectType } from '@provsync/skolverket-api';
import {
  type BatchItem,
  type ObjectRef,
  type ObjectResult,
  type Operation,
  refKey,
  type SkolverketMessage,
  type SyncEvent,
} from './sync-events.js';

/** What Skolverket holds of one object, as far as its answers tell. */
export interface Acknowledged {
  hash: string;
  refs: ObjectRef[];
  /** Group members Skolverket did not know when it accepted the group (Warning): send again once they exist. */
  missingMembers: string[];
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
  body: unknown[];
  jobId?: string;
}

export interface SyncState {
  acknowledged: Map<string, Acknowledged>;
  parked: Map<string, Parked>;
  openBatches: Map<string, OpenBatch>;
  inFlight: Map<string, string>;
  /** How often an object answered TemporaryError in a row. */
  temporaryErrors: Map<string, number>;
}

export function initialSyncState(): SyncState {
  return { acknowledged: new Map(), parked: new Map(), openBatches: new Map(), inFlight: new Map(), temporaryErrors: new Map() };
}

/** Folds one sync event into the state (mutating it: the state is rebuilt from the stream, never shared). */
export function evolveSync(state: SyncState, event: SyncEvent): SyncState {
  switch (event.type) {
    case 'BatchSubmissionStarted': {
      const { batchId, objectType, operation, items, body } = event.data;
      state.openBatches.set(batchId, { batchId, objectType, operation, items, body });
      for (const item of items) state.inFlight.set(refKey({ type: objectType, id: item.id }), batchId);
      return state;
    }
    case 'BatchAccepted': {
      const batch = state.openBatches.get(event.data.batchId);
      if (batch) batch.jobId = event.data.jobId;
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
      if (batch) applyResults(state, batch, event.data.results);
      return state;
    }
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
  }
  return batch;
}

function applyResults(state: SyncState, batch: OpenBatch, results: ObjectResult[]): void {
  const byId = new Map(results.map((r) => [r.id, r]));
  for (const item of batch.items) {
    const key = refKey({ type: batch.objectType, id: item.id });
    const result = byId.get(item.id) ?? { id: item.id, status: 'Success' };
    switch (result.status) {
      case 'Success':
      case 'Warning':
        state.parked.delete(key);
        state.temporaryErrors.delete(key);
        if (batch.operation === 'delete') state.acknowledged.delete(key);
        else state.acknowledged.set(key, { hash: item.hash, refs: item.refs, missingMembers: missingMembers(batch, item, result) });
        break;
      case 'Error':
        park(state, batch, item, result.errors ?? []);
        break;
      case 'TemporaryError':
      case 'Pending':
        state.temporaryErrors.set(key, (state.temporaryErrors.get(key) ?? 0) + 1);
        break;
    }
  }
}

function park(state: SyncState, batch: OpenBatch, item: BatchItem, messages: SkolverketMessage[]): void {
  const key = refKey({ type: batch.objectType, id: item.id });
  state.parked.set(key, { operation: batch.operation, hash: item.hash, messages });
  state.temporaryErrors.delete(key);
}

/** Members of a group that a Warning names as unknown to Skolverket. */
function missingMembers(batch: OpenBatch, item: BatchItem, result: ObjectResult): string[] {
  if (batch.objectType !== 'group' || !result.warnings?.length) return [];
  const said = JSON.stringify(result.warnings);
  return item.refs.filter((ref) => ref.type === 'person' && said.includes(ref.id)).map((ref) => ref.id);
}
