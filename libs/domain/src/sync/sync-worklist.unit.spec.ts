import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ObjectType } from '@provsync/skolverket-api';
import type { DesiredItem } from './plan-sync.js';
import { refKey, type SyncEvent } from './sync-events.js';
import { evolveSync, initialSyncState, type SyncState } from './sync-state.js';
import { SyncWorklist } from './sync-worklist.js';

const AT = '2026-08-14T08:00:00.000Z';
const item = (type: ObjectType, id: string, refs: Array<[ObjectType, string]> = []): DesiredItem => ({
  type,
  id,
  body: { id },
  hash: `${id}#1`,
  refs: refs.map(([t, i]) => ({ type: t, id: i })),
});

/** Takes the next batch and records Skolverket's Success for it, as the sync would. */
function sendNext(worklist: SyncWorklist, state: SyncState, moreMayCome = false): string | undefined {
  const taken = worklist.take({ maxBatchBytes: 204_800, nowMs: 0, maxHoldMs: 2_000, moreMayCome: () => moreMayCome });
  if (!taken) return undefined;
  const { batch } = taken;
  const batchId = `b-${Math.random()}`;
  const events: SyncEvent[] = [
    { type: 'BatchSubmissionStarted', data: { batchId, ...batch, at: AT } },
    { type: 'JobResultsRecorded', data: { batchId, jobId: batchId, results: [], at: AT } },
  ];
  for (const e of events) evolveSync(state, e);
  worklist.stateChanged(batch.items.map((i) => refKey({ type: batch.objectType, id: i.id })));
  return `${batch.objectType} ${batch.items.map((i) => i.id).join(',')}`;
}

describe('the sync worklist', () => {
  it('holds a group back until every member is acknowledged, whichever member comes last', () => {
    const desired = new Map<string, DesiredItem>();
    for (const i of [item('person', 'p1'), item('group', 'g1', [['person', 'p1'], ['person', 'p2'], ['person', 'p3']])]) desired.set(refKey(i), i);
    const state = initialSyncState();
    const worklist = new SyncWorklist(desired, state);
    assert.equal(sendNext(worklist, state), 'person p1');
    assert.equal(worklist.readyCount('upsert', 'group'), 0, 'p2 and p3 are missing');
    // p3 arrives first, then p2: the group waits on one missing member at a time and still sees the last one.
    for (const id of ['p3', 'p2']) {
      const person = item('person', id);
      desired.set(refKey(person), person);
      worklist.desiredChanged([refKey(person)]);
      assert.equal(sendNext(worklist, state), `person ${id}`);
    }
    assert.equal(sendNext(worklist, state), 'group g1');
    assert.equal(worklist.hasReady(0), false);
  });
});
