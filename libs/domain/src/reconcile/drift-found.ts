import type { DesiredItem } from '../sync/plan-sync.js';
import type { SyncState } from '../sync/sync-state.js';
import type { Drift } from './compare-holdings.js';

/**
 * The objects the sync sends because of what a reconcile found at Skolverket (and not since put right by the
 * sync's own sends): not held though provsync took it to be, held with other content, or held and not desired.
 */
export function driftFound(state: SyncState, desired: ReadonlyMap<string, DesiredItem>): Map<string, Drift> {
  const found = new Map<string, Drift>();
  for (const key of state.lastReconcile?.notHeld ?? []) {
    if (desired.has(key) && !state.acknowledged.has(key)) found.set(key, 'missing');
  }
  for (const [key, ack] of state.acknowledged) {
    if (!ack.fromReconcile) continue;
    const wanted = desired.get(key);
    if (!wanted) found.set(key, 'leftover');
    else if (wanted.hash !== ack.hash) found.set(key, 'different');
  }
  return found;
}
