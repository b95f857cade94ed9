import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type DesiredItem, initialSyncState, SyncPlanner, syncStatus } from '@provsync/domain';
import { countOutOfSync } from './object-counts.js';

const TYPES = ['person', 'duty', 'group', 'activity'] as const;

/** A state with every kind of verdict: in sync, changed, new, in flight, parked, and acknowledged but no longer desired. */
function mixedState(n: number) {
  const desired = new Map<string, DesiredItem>();
  const state = initialSyncState();
  for (let i = 0; i < n; i++) {
    const type = TYPES[i % 4]!;
    const key = `${type}:${i}`;
    if (i % 11 !== 3) desired.set(key, { type, id: String(i), body: null, hash: `h${i}`, refs: [] });
    if (i % 7 !== 0) state.acknowledged.set(key, { hash: i % 5 === 0 ? 'old' : `h${i}`, refs: [], missingMembers: [] });
    if (i % 13 === 0) state.inFlight.set(key, 'batch-1');
    if (i % 17 === 0) state.parked.set(key, { operation: 'upsert', hash: `h${i}`, messages: [] } as never);
  }
  return { desired, state };
}

describe('countOutOfSync', () => {
  it('counts what provsync status counts, per type: pending, in flight, parked', async () => {
    const { desired, state } = mixedState(5_000);
    const expected = syncStatus(desired, state, new SyncPlanner(desired, state));
    const counted = await countOutOfSync(desired, state);
    for (const type of TYPES) {
      const { pending, inFlight, parked } = expected[type];
      assert.deepEqual(counted[type], { pending, inFlight, parked }, type);
      assert.ok(pending > 0 && inFlight > 0 && parked > 0, `${type}: the fixture has every state`);
    }
  });

  it('lets the event loop turn while it counts a large state', async () => {
    const { desired, state } = mixedState(20_000);
    let turned = false;
    setImmediate(() => (turned = true));
    await countOutOfSync(desired, state);
    assert.ok(turned, 'a callback queued before the count ran before it ended');
  });
});
