import { OBJECT_TYPES, type ObjectType } from '@provsync/skolverket-api';
import { parseKey, type SyncPlanner, type DesiredItem } from './plan-sync.js';
import type { SyncState } from './sync-state.js';

export interface TypeStatus {
  desired: number;
  acknowledged: number;
  pending: number;
  inFlight: number;
  parked: number;
}

export type SyncStatus = Record<ObjectType, TypeStatus>;

/** Counts per object type, as `provsync status` shows them. */
export function syncStatus(desired: ReadonlyMap<string, DesiredItem>, state: SyncState, planner: SyncPlanner): SyncStatus {
  const status = Object.fromEntries(
    OBJECT_TYPES.map((type) => [type, { desired: 0, acknowledged: 0, pending: 0, inFlight: 0, parked: 0 }]),
  ) as SyncStatus;
  for (const item of desired.values()) status[item.type].desired++;
  for (const key of state.acknowledged.keys()) status[parseKey(key).type].acknowledged++;
  for (const key of planner.outOfSyncKeys()) {
    const counts = status[parseKey(key).type];
    const verdict = planner.verdict(key);
    if (verdict.state === 'in-flight') counts.inFlight++;
    else if (verdict.state === 'parked') counts.parked++;
    else if (verdict.state === 'kept') continue;
    else counts.pending++;
  }
  return status;
}
