import { nextHoldId, openHolds } from './hold-book.js';
import { countDeletes, type HoldReason } from './hold-events.js';
import { countByType, exceedsThreshold, thresholdText } from './hold-guard.js';
import type { SyncEvent } from './sync-events.js';
import type { SyncNote, SyncProcess } from './sync-process.js';

/**
 * The mass-change guard's part of a step: looks at the deletes no operator decided about whenever they (or the
 * holds) changed. Too many at once, or any after reference data lost something: a hold for them. While any hold
 * is open, no such delete goes. `last`: nothing else may be decided in this step (the gate is shutting, so ready
 * deletes must be judged again first).
 */
export function guardDeletes(state: SyncProcess, nowMs: number, at: string): { events: SyncEvent[]; notes: SyncNote[]; last: boolean } {
  const none = { events: [], notes: [], last: false };
  const threshold = state.tuning.deleteThreshold;
  if (!threshold && !state.referenceLoss && state.deletesMayGo) return none;
  const { keys, version } = state.worklist.freshDeletes(nowMs);
  if (version === state.guardChecked) return none;
  const anyOpen = openHolds(state.recorded.holds).length > 0;
  if (!anyOpen && keys.size > 0) {
    const reason = holdReason(state, keys);
    if (reason) {
      const data = { holdId: nextHoldId(state.recorded.holds), reason, deletes: countDeletes(keys), keys: [...keys], at };
      return { events: [{ type: 'HoldPlaced', data }], notes: [], last: true };
    }
  }
  const open = !anyOpen;
  const notes: SyncNote[] = [{ type: 'DeleteGuardChecked', version, open }];
  return { events: [], notes, last: !open && state.deletesMayGo };
}

function holdReason(state: SyncProcess, keys: ReadonlySet<string>): HoldReason | undefined {
  if (state.referenceLoss) return { kind: 'reference-data-lost', lost: state.referenceLoss };
  const threshold = state.tuning.deleteThreshold;
  if (threshold && exceedsThreshold(keys, threshold, () => countByType(state.recorded.acknowledged.keys()))) {
    return { kind: 'mass-delete', limit: thresholdText(threshold) };
  }
  return undefined;
}
