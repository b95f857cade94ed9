import { evolveReconcile } from '../reconcile/reconcile-evolve.js';
import { isReconcileEvent, type ReconcileEvent } from '../reconcile/reconcile-events.js';
import { evolveHolds, heldFor } from './hold-book.js';
import type { HoldApproved, HoldEvent, HoldRejected, ReferenceDataLoss } from './hold-events.js';
import type { DeleteThreshold } from './hold-guard.js';
import { JobTiming } from './job-timing.js';
import type { DesiredItem } from './plan-sync.js';
import { refKey, type SyncEvent } from './sync-events.js';
import { evolveSync, type SyncState } from './sync-state.js';
import { SyncWorklist } from './sync-worklist.js';

/** Skolverket answers 413 above 204,800 bytes; the bulk body wraps the objects in `{"data":[…]}`. */
export const MAX_BATCH_BYTES = 204_800 - 64;

export interface SyncTuning {
  /** Calls started and not yet answered (default 3): waiting for each answer left a third of the budget unused. */
  maxOutstandingCalls: number;
  /** A part-filled batch waits at most this long for more objects while jobs it depends on run (default 2 s). */
  maxHoldMs: number;
  /** How long a batch whose call got no answer waits before it is sent again (default 1 s). */
  resendAfterMs: number;
  /** The mass-change guard's limit (PROVSYNC_DELETE_THRESHOLD); absent: only reference-data losses are held. */
  deleteThreshold?: DeleteThreshold;
}

export const DEFAULT_SYNC_TUNING: SyncTuning = { maxOutstandingCalls: 3, maxHoldMs: 2_000, resendAfterMs: 1_000 };

/**
 * What the process remembers only while it runs: calls under way, when to ask about a job, when to send a
 * batch again, the packing limit a 413 taught it. After a restart it starts afresh from the recorded state
 * (`startSyncProcess`); none of it changes what Skolverket should hold.
 */
export type SyncNote =
  | { type: 'CallStarted'; batchId: string }
  | { type: 'CallSettled'; batchId: string }
  | { type: 'JobQueryScheduled'; batchId: string; dueAt: number; queries: number; acceptedAt: number }
  | { type: 'ResendScheduled'; batchId: string; at: number }
  | { type: 'PackingLimitLowered'; maxBatchBytes: number }
  | { type: 'JobDelayObserved'; createdMs: number; finishedMs: number }
  | { type: 'DesiredStateChanged'; keys: Iterable<string> }
  /** The guard looked at the deletes of `version` (see SyncWorklist.freshDeletes): `open` lets them go. */
  | { type: 'DeleteGuardChecked'; version: number; open: boolean }
  | { type: 'ReferenceDataLost'; lost: ReferenceDataLoss }
  /** An operator's decision, recorded on its own stream (HOLD_DECISIONS_STREAM): folded, not recorded again. */
  | { type: 'HoldDecided'; event: HoldApproved | HoldRejected };

export interface JobQuery {
  dueAt: number;
  /** Status calls made so far that found the job still running. */
  queries: number;
  acceptedAt: number;
}

/** The sync process manager's state: the recorded state, and the working memory beside it. */
export interface SyncProcess {
  recorded: SyncState;
  /** Which objects are ready to send, kept up to date as desired and recorded state change. */
  worklist: SyncWorklist;
  timing: JobTiming;
  jobQueries: Map<string, JobQuery>;
  resendAt: Map<string, number>;
  /** Batches a call is under way for (a submission or a status query). */
  calling: Set<string>;
  maxBatchBytes: number;
  tuning: SyncTuning;
  /** Whether deletes no operator decided about may go now; shut until the guard has looked at them. */
  deletesMayGo: boolean;
  /** The version of the deletes the guard last looked at (-1: look again). */
  guardChecked: number;
  /** Reference data lost since the sync last held deletes for it: the next deletes are held whatever their count. */
  referenceLoss?: ReferenceDataLoss;
}

const isHoldEvent = (event: { type: string }): event is HoldEvent =>
  event.type === 'HoldPlaced' || event.type === 'HoldApproved' || event.type === 'HoldRejected';

/**
 * The process over a recorded state (read from the stream) and the live desired state. A job accepted before
 * a restart is asked about once the expected job delay has passed from `nowMs`.
 */
export function startSyncProcess(
  recorded: SyncState,
  desired: ReadonlyMap<string, DesiredItem>,
  nowMs: number,
  tuning: Partial<SyncTuning> & { referenceLoss?: ReferenceDataLoss } = {},
): SyncProcess {
  // A loss a hold was already placed for (before a restart or a change of leader) is not held twice.
  const referenceLoss = tuning.referenceLoss && !heldFor(recorded.holds, tuning.referenceLoss) ? tuning.referenceLoss : undefined;
  const guarded = tuning.deleteThreshold !== undefined || referenceLoss !== undefined;
  const state: SyncProcess = {
    recorded,
    worklist: new SyncWorklist(desired, recorded, () => state.deletesMayGo),
    timing: new JobTiming(),
    jobQueries: new Map(),
    resendAt: new Map(),
    calling: new Set(),
    maxBatchBytes: MAX_BATCH_BYTES,
    tuning: { ...DEFAULT_SYNC_TUNING, ...tuning },
    deletesMayGo: !guarded,
    guardChecked: -1,
    referenceLoss,
  };
  for (const batch of recorded.openBatches.values()) {
    if (batch.jobId) state.jobQueries.set(batch.batchId, { dueAt: state.timing.firstPollAt(nowMs), queries: 0, acceptedAt: nowMs });
  }
  return state;
}

/** Applies a recorded event or a note (mutating: the process is the runner's own, never shared). */
export function evolve(state: SyncProcess, event: SyncEvent | ReconcileEvent | SyncNote): SyncProcess {
  switch (event.type) {
    case 'CallStarted':
      state.calling.add(event.batchId);
      return state;
    case 'CallSettled':
      state.calling.delete(event.batchId);
      return state;
    case 'JobQueryScheduled':
      state.jobQueries.set(event.batchId, { dueAt: event.dueAt, queries: event.queries, acceptedAt: event.acceptedAt });
      return state;
    case 'ResendScheduled':
      state.resendAt.set(event.batchId, event.at);
      return state;
    case 'PackingLimitLowered':
      state.maxBatchBytes = Math.min(state.maxBatchBytes, event.maxBatchBytes);
      return state;
    case 'JobDelayObserved':
      state.timing.observe(event.createdMs, event.finishedMs);
      return state;
    case 'DesiredStateChanged':
      state.worklist.desiredChanged(event.keys);
      return state;
    case 'DeleteGuardChecked': {
      state.guardChecked = event.version;
      if (event.open === state.deletesMayGo) return state;
      state.deletesMayGo = event.open;
      // Deletes judged under the other gate are judged again (those not yet judged are still due anyway).
      state.worklist.stateChanged([...state.worklist.freshKeys()]);
      return state;
    }
    case 'ReferenceDataLost':
      state.referenceLoss = event.lost;
      state.guardChecked = -1;
      return state;
    case 'HoldDecided':
      return evolveRecorded(state, event.event);
    default:
      // A completed reconcile changes what is acknowledged: those objects and their waiters are judged again.
      if (isReconcileEvent(event)) state.worklist.stateChanged(evolveReconcile(state.recorded, event));
      else evolveRecorded(state, event);
      return state;
  }
}

function evolveRecorded(state: SyncProcess, event: SyncEvent): SyncProcess {
  const { recorded } = state;
  if (isHoldEvent(event)) {
    state.worklist.stateChanged(evolveHolds(recorded.holds, event));
    if (event.type === 'HoldPlaced' && event.data.reason.kind === 'reference-data-lost') state.referenceLoss = undefined;
    state.guardChecked = -1;
    return state;
  }
  const open = 'batchId' in event.data ? recorded.openBatches.get(event.data.batchId) : undefined;
  evolveSync(recorded, event);
  if (event.type === 'BatchAccepted') state.resendAt.delete(event.data.batchId);
  if (event.type === 'BatchRefused' || event.type === 'JobResultsRecorded') {
    state.jobQueries.delete(event.data.batchId);
    state.resendAt.delete(event.data.batchId);
  }
  // What Skolverket holds (or is about to) changed for the batch's objects: re-judge them and their waiters.
  const batch = event.type === 'BatchSubmissionStarted' ? event.data : event.type === 'BatchAccepted' ? undefined : open;
  if (batch) state.worklist.stateChanged(batch.items.map((item) => refKey({ type: batch.objectType, id: item.id })));
  return state;
}

/** Nothing pending, open or under way. */
export function isIdle(state: SyncProcess, nowMs: number): boolean {
  return state.recorded.openBatches.size === 0 && state.calling.size === 0 && !state.worklist.hasReady(nowMs) && state.worklist.retryingCount() === 0;
}

/** The earliest time a job query or a re-send falls due (Infinity if none). */
export function nextDueAt(state: SyncProcess): number {
  let next = Infinity;
  for (const [batchId, { dueAt }] of state.jobQueries) if (!state.calling.has(batchId)) next = Math.min(next, dueAt);
  for (const at of state.resendAt.values()) next = Math.min(next, at);
  next = Math.min(next, state.worklist.nextRetryAt());
  return next;
}
