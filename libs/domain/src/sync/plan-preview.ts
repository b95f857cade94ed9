import type { ObjectType } from '@provsync/skolverket-api';
import type { Hold } from './hold-book.js';
import type { ReferenceDataLoss } from './hold-events.js';
import type { DesiredItem } from './plan-sync.js';
import { decide, type SyncDecision } from './sync-decider.js';
import { refKey } from './sync-events.js';
import { evolve, isIdle, nextDueAt, startSyncProcess, type SyncProcess, type SyncTuning } from './sync-process.js';
import type { SyncState } from './sync-state.js';

export type PlanOperation = 'create' | 'update' | 'delete';

export interface PlannedSend {
  type: ObjectType;
  id: string;
  operation: PlanOperation;
  /** Part of a batch recorded before a stop and never answered. */
  resend: boolean;
}

export interface SyncPreview {
  /** What the sync would send, in the order it would, if Skolverket took everything at once. */
  sends: PlannedSend[];
  /** Deletes it would leave waiting: in a hold (`holdId`), or behind one. */
  held: Array<{ type: ObjectType; id: string; holdId?: string }>;
  /** Holds open at the end: those already recorded, and those the sync would place (`placed: false`). */
  holds: Array<Hold & { placed: boolean; keys: string[] }>;
}

/** Enough for any plan: each step sends a batch or settles a job; a sync that has not come to rest by then is a bug. */
const MAX_STEPS = 1_000_000;

/**
 * The dry run: the sync's own decider, stepped as the runner steps it, with Skolverket taking every call and
 * answering every job at once with success, and nothing recorded. What it sends is what the next sync sends
 * while Skolverket takes everything: `provsync plan`'s answer. Consumes `recorded` (give it a state of its own).
 */
export function previewSync(
  recorded: SyncState,
  desired: ReadonlyMap<string, DesiredItem>,
  now: Date,
  tuning: Partial<SyncTuning> & { referenceLoss?: ReferenceDataLoss } = {},
): SyncPreview {
  const recordedHolds = new Set(recorded.holds.holds.keys());
  const state = startSyncProcess(recorded, desired, now.getTime(), tuning);
  const apply = (d: SyncDecision) => {
    for (const note of d.notes) evolve(state, note);
    for (const event of d.events) evolve(state, event);
    return d;
  };
  const sends: PlannedSend[] = [];
  let t = now.getTime();
  for (let step = 1, quiet = 0; step < MAX_STEPS; step++) {
    t += 60_000; // past any hold or job delay
    const at = new Date(t);
    const newBatchId = `plan-${step}`;
    const [call] = apply(decide(state, { type: 'NextStep', newBatchId }, at)).calls;
    if (!call) {
      if (isIdle(state, t)) return result(state, sends, recordedHolds);
      // Waiting out a TemporaryError: the sync sends it when the wait is over, and so does the dry run.
      const due = nextDueAt(state);
      if (Number.isFinite(due) && due > t) t = due - 60_000;
      else if (++quiet > 3) return result(state, sends, recordedHolds);
      continue;
    }
    quiet = 0;
    if (call.type === 'Submit') {
      const batch = state.recorded.openBatches.get(call.batchId)!;
      for (const item of batch.items) {
        const known = state.recorded.acknowledged.has(refKey({ type: batch.objectType, id: item.id }));
        const operation = batch.operation === 'delete' ? 'delete' : known ? 'update' : 'create';
        sends.push({ type: batch.objectType, id: item.id, operation, resend: call.batchId !== newBatchId });
      }
      apply(decide(state, { type: 'SubmissionAccepted', batchId: call.batchId, jobId: `job-${call.batchId}` }, at));
    }
    const jobId = call.type === 'QueryJob' ? call.jobId : `job-${call.batchId}`;
    apply(decide(state, { type: 'JobAnswered', batchId: call.batchId, jobId, results: [] }, at));
  }
  throw new Error('the dry run did not come to rest');
}

function result(state: SyncProcess, sends: PlannedSend[], recordedHolds: Set<string>): SyncPreview {
  const { holds } = state.recorded;
  const keysOf = new Map<string, string[]>();
  const held: SyncPreview['held'] = [];
  for (const [key, holdId] of holds.held) {
    held.push({ ...parse(key), holdId });
    const keys = keysOf.get(holdId);
    if (keys) keys.push(key);
    else keysOf.set(holdId, [key]);
  }
  // Behind an open hold: deletes no operator has seen yet, judged once it is decided.
  if (!state.deletesMayGo) for (const key of state.worklist.freshKeys()) held.push(parse(key));
  return {
    sends,
    held,
    holds: [...holds.holds.values()]
      .filter((hold) => !hold.decision)
      .map((hold) => ({ ...hold, placed: recordedHolds.has(hold.holdId), keys: keysOf.get(hold.holdId) ?? [] })),
  };
}

function parse(key: string): { type: ObjectType; id: string } {
  const colon = key.indexOf(':');
  return { type: key.slice(0, colon) as ObjectType, id: key.slice(colon + 1) };
}
