import { setImmediate as nextTurn } from 'node:timers/promises';
import { type DesiredItem, parseKey, SyncPlanner, type SyncState } from '@provsync/domain';
import { OBJECT_TYPES } from '@provsync/skolverket-api';

export type ObjectCounts = Record<string, { pending: number; inFlight: number; parked: number }>;

/** Keys judged between two turns of the event loop: a few milliseconds, so HTTP, Kafka and the sync keep going. */
const KEYS_PER_TURN = 2_000;

/**
 * Objects not in sync per type, as `provsync status` counts them (syncStatus), but spread over many turns of the
 * event loop: at 220,000 objects one pass is about 250 ms of CPU, too long to hold the serve thread at once.
 * The maps may change between turns; a gauge read a moment later is as true.
 */
export async function countOutOfSync(desired: ReadonlyMap<string, DesiredItem>, state: SyncState): Promise<ObjectCounts> {
  const counts: ObjectCounts = Object.fromEntries(OBJECT_TYPES.map((type) => [type, { pending: 0, inFlight: 0, parked: 0 }]));
  const planner = new SyncPlanner(desired, state);
  const judge = (key: string) => {
    const verdict = planner.verdict(key).state;
    if (verdict === 'in-sync') return;
    const type = counts[parseKey(key).type]!;
    if (verdict === 'in-flight') type.inFlight++;
    else if (verdict === 'parked') type.parked++;
    else type.pending++;
  };
  let judged = 0;
  for (const key of desired.keys()) {
    judge(key);
    if (++judged % KEYS_PER_TURN === 0) await nextTurn();
  }
  for (const key of state.acknowledged.keys()) {
    if (!desired.has(key)) judge(key);
    if (++judged % KEYS_PER_TURN === 0) await nextTurn();
  }
  return counts;
}
