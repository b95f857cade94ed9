import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ObjectType } from '@provsync/skolverket-api';
import { type DesiredItem, SyncPlanner } from './plan-sync.js';
import { refKey, type ObjectResult, type SyncEvent } from './sync-events.js';
import { evolveSync, initialSyncState, type SyncState } from './sync-state.js';

const AT = '2026-08-14T08:00:00.000Z';
const item = (type: ObjectType, id: string, refs: Array<[ObjectType, string]> = [], version = 1): DesiredItem => ({
  type,
  id,
  body: { id, version, refs },
  hash: `${id}#${version}`,
  refs: refs.map(([t, i]) => ({ type: t, id: i })),
});
const desiredOf = (...items: DesiredItem[]) => new Map(items.map((i) => [refKey(i), i]));

/** Sends what the planner plans and answers every object with `answer` (default Success). */
function syncRound(desired: Map<string, DesiredItem>, state: SyncState, answer: (type: ObjectType, id: string) => ObjectResult['status'] = () => 'Success') {
  const batches = new SyncPlanner(desired, state).plan({ maxBatchBytes: 204_800 });
  batches.forEach((batch, n) => {
    const batchId = `b-${state.openBatches.size}-${n}-${Math.random()}`;
    const events: SyncEvent[] = [
      { type: 'BatchSubmissionStarted', data: { batchId, ...batch, at: AT } },
      { type: 'BatchAccepted', data: { batchId, jobId: `job-${batchId}`, at: AT } },
      {
        type: 'JobResultsRecorded',
        data: {
          batchId,
          jobId: `job-${batchId}`,
          results: batch.items.map((i) => ({ id: i.id, status: answer(batch.objectType, i.id), errors: [{ message: 'refused' }] })),
          at: AT,
        },
      },
    ];
    for (const e of events) evolveSync(state, e);
  });
  return batches.map((b) => `${b.operation} ${b.objectType} ${b.items.map((i) => i.id).join(',')}`);
}

describe('planning the sync to Skolverket', () => {
  it('sends each type only after what it refers to is acknowledged: Person → Duty → Group → Activity', () => {
    const desired = desiredOf(
      item('activity', 'a1', [['group', 'g1'], ['duty', 'd1']]),
      item('group', 'g1', [['person', 'p1']]),
      item('duty', 'd1', [['person', 'p2']]),
      item('person', 'p1'),
      item('person', 'p2'),
    );
    const state = initialSyncState();
    assert.deepEqual(syncRound(desired, state), ['upsert person p1,p2']);
    assert.deepEqual(syncRound(desired, state), ['upsert duty d1', 'upsert group g1']);
    assert.deepEqual(syncRound(desired, state), ['upsert activity a1']);
    assert.deepEqual(syncRound(desired, state), []);
  });

  it('re-sends only what changed', () => {
    const state = initialSyncState();
    syncRound(desiredOf(item('person', 'p1'), item('person', 'p2')), state);
    assert.deepEqual(syncRound(desiredOf(item('person', 'p1', [], 2), item('person', 'p2')), state), ['upsert person p1']);
  });

  it('deletes in reverse: an ended duty updates the activity first, and the duty goes once nothing refers to it', () => {
    const state = initialSyncState();
    const before = [item('person', 'p1'), item('duty', 'd1', [['person', 'p1']]), item('group', 'g1'), item('activity', 'a1', [['group', 'g1'], ['duty', 'd1']])];
    for (let i = 0; i < 3; i++) syncRound(desiredOf(...before), state);
    const after = desiredOf(item('person', 'p1'), item('group', 'g1'), item('activity', 'a1', [['group', 'g1']], 2));
    assert.deepEqual(syncRound(after, state), ['upsert activity a1']);
    assert.deepEqual(syncRound(after, state), ['delete duty d1']);
    assert.deepEqual(syncRound(after, state), []);
  });

  it('deletes a whole school year in order Activity → Group → Duty → Person', () => {
    const state = initialSyncState();
    const all = [item('person', 'p1'), item('duty', 'd1', [['person', 'p1']]), item('group', 'g1', [['person', 'p1']]), item('activity', 'a1', [['group', 'g1'], ['duty', 'd1']])];
    for (let i = 0; i < 3; i++) syncRound(desiredOf(...all), state);
    const rounds = [1, 2, 3, 4].map(() => syncRound(new Map(), state));
    assert.deepEqual(rounds, [['delete activity a1'], ['delete group g1', 'delete duty d1'], ['delete person p1'], []]);
  });

  it('parks an object Skolverket refuses until its content changes, and does not hold back what does not need it', () => {
    const state = initialSyncState();
    const answer = (_: ObjectType, id: string) => (id === 'p1' ? 'Error' : 'Success');
    syncRound(desiredOf(item('person', 'p1'), item('person', 'p2')), state, answer);
    assert.deepEqual(syncRound(desiredOf(item('person', 'p1'), item('person', 'p2')), state), []);
    assert.deepEqual(state.parked.get('person:p1')?.messages, [{ message: 'refused' }]);
    assert.deepEqual(syncRound(desiredOf(item('person', 'p1', [], 2), item('person', 'p2')), state), ['upsert person p1']);
    assert.equal(state.parked.has('person:p1'), false);
  });

  it('retries an object that answered TemporaryError', () => {
    const state = initialSyncState();
    syncRound(desiredOf(item('person', 'p1')), state, () => 'TemporaryError');
    assert.equal(state.temporaryErrors.get('person:p1'), 1);
    assert.deepEqual(syncRound(desiredOf(item('person', 'p1')), state), ['upsert person p1']);
    assert.equal(state.acknowledged.has('person:p1'), true);
  });

  it('sends a group again once the members Skolverket warned about are acknowledged', () => {
    const state = initialSyncState();
    const desired = desiredOf(item('person', 'p1'), item('person', 'p2'), item('group', 'g1', [['person', 'p1'], ['person', 'p2']]));
    syncRound(desired, state, (_, id) => (id === 'p2' ? 'Error' : 'Success'));
    evolveSync(state, { type: 'JobResultsRecorded', data: { batchId: 'none', jobId: 'none', results: [], at: AT } });
    // p2 is parked, so the group goes without waiting for it and is accepted with a Warning naming p2.
    const batches = new SyncPlanner(desired, state).plan({ maxBatchBytes: 204_800 });
    assert.deepEqual(batches.map((b) => b.objectType), ['group']);
    evolveSync(state, { type: 'BatchSubmissionStarted', data: { batchId: 'g', ...batches[0], at: AT } });
    evolveSync(state, {
      type: 'JobResultsRecorded',
      data: { batchId: 'g', jobId: 'j', results: [{ id: 'g1', status: 'Warning', warnings: [{ message: 'member p2 not found', resourceId: 'p2' }] }], at: AT },
    });
    assert.deepEqual(state.acknowledged.get('group:g1')?.missingMembers, ['p2']);
    assert.deepEqual(syncRound(desired, state), [], 'nothing to gain while p2 is still refused');
    const fixed = desiredOf(item('person', 'p1'), item('person', 'p2', [], 2), item('group', 'g1', [['person', 'p1'], ['person', 'p2']]));
    assert.deepEqual(syncRound(fixed, state), ['upsert person p2']);
    assert.deepEqual(syncRound(fixed, state), ['upsert group g1']);
    assert.deepEqual(state.acknowledged.get('group:g1')?.missingMembers, []);
  });

  it('counts objects a job did not list as succeeded (the job was read with showOnlyError)', () => {
    const state = initialSyncState();
    const [batch] = new SyncPlanner(desiredOf(item('person', 'p1')), state).plan({ maxBatchBytes: 204_800 });
    evolveSync(state, { type: 'BatchSubmissionStarted', data: { batchId: 'x', ...batch, at: AT } });
    evolveSync(state, { type: 'JobResultsRecorded', data: { batchId: 'x', jobId: 'j', results: [], at: AT } });
    assert.equal(state.acknowledged.get('person:p1')?.hash, 'p1#1');
  });

  it('holds back nothing twice: objects of an open batch are in flight, not planned again', () => {
    const state = initialSyncState();
    const desired = desiredOf(item('person', 'p1'));
    const [batch] = new SyncPlanner(desired, state).plan({ maxBatchBytes: 204_800 });
    evolveSync(state, { type: 'BatchSubmissionStarted', data: { batchId: 'x', ...batch, at: AT } });
    assert.deepEqual(new SyncPlanner(desired, state).plan({ maxBatchBytes: 204_800 }), []);
    assert.deepEqual(new SyncPlanner(desired, state).verdict('person:p1'), { state: 'in-flight', batchId: 'x' });
  });

  it('parks every object of a batch Skolverket refused outright, and returns them to pending when it may be retried', () => {
    const state = initialSyncState();
    const desired = desiredOf(item('person', 'p1'), item('person', 'p2'));
    const [batch] = new SyncPlanner(desired, state).plan({ maxBatchBytes: 204_800 });
    evolveSync(state, { type: 'BatchSubmissionStarted', data: { batchId: 'x', ...batch, at: AT } });
    evolveSync(state, { type: 'BatchRefused', data: { batchId: 'x', retry: true, reason: '503', at: AT } });
    assert.equal(new SyncPlanner(desired, state).plan({ maxBatchBytes: 204_800 }).length, 1);
    evolveSync(state, { type: 'BatchSubmissionStarted', data: { batchId: 'y', ...batch, at: AT } });
    evolveSync(state, { type: 'BatchRefused', data: { batchId: 'y', retry: false, reason: '400 bad request', at: AT } });
    assert.deepEqual([...state.parked.keys()].sort(), ['person:p1', 'person:p2']);
  });

  it('packs batches by serialized size and never over the limit', () => {
    const people = Array.from({ length: 50 }, (_, i) => item('person', `p${String(i).padStart(2, '0')}`));
    const batches = new SyncPlanner(desiredOf(...people), initialSyncState()).plan({ maxBatchBytes: 500 });
    assert.ok(batches.length > 1);
    for (const b of batches) assert.ok(Buffer.byteLength(JSON.stringify(b.body)) <= 500);
    assert.equal(batches.flatMap((b) => b.items).length, 50);
  });
});
