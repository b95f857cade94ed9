import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DesiredItem } from './plan-sync.js';
import { previewSync } from './plan-preview.js';
import { RETRY_POLICY, retryAt } from './retry-backoff.js';
import { decide } from './sync-decider.js';
import { refKey, type SyncEvent } from './sync-events.js';
import { evolve, isIdle, nextDueAt, startSyncProcess } from './sync-process.js';
import { evolveSync, initialSyncState } from './sync-state.js';

const NOW = Date.parse('2026-08-14T08:00:00.000Z');
const at = (ms: number) => new Date(NOW + ms).toISOString();
const p1: DesiredItem = { type: 'person', id: 'p1', body: { id: 'p1' }, hash: 'h1', refs: [] };

/** p1 sent `times` times, each answered TemporaryError, the last at NOW. */
function temporaryErrors(times: number): SyncEvent[] {
  return Array.from({ length: times }, (_, n): SyncEvent[] => {
    const batchId = `x${n}`;
    const when = at((n - times + 1) * 100_000);
    return [
      { type: 'BatchSubmissionStarted', data: { batchId, objectType: 'person', operation: 'upsert', items: [{ id: 'p1', hash: 'h1', refs: [] }], body: [p1.body], at: when } },
      { type: 'BatchAccepted', data: { batchId, jobId: `j${n}`, at: when } },
      { type: 'JobResultsRecorded', data: { batchId, jobId: `j${n}`, results: [{ id: 'p1', status: 'TemporaryError' }], at: when } },
    ];
  }).flat();
}

describe('TemporaryError: sent again with exponential backoff and jitter, capped', () => {
  it('waits between half and all of 1 s, 2 s, 4 s … after each TemporaryError in a row, at most 60 s, the same each time it is asked', () => {
    for (let count = 1; count <= 10; count++) {
      const wait = Math.min(RETRY_POLICY.capMs, 1_000 * 2 ** (count - 1));
      const due = retryAt('person:p1', count, NOW) - NOW;
      assert.ok(due >= wait / 2 && due < wait, `after ${count}: ${due} ms of ${wait}`);
      assert.equal(retryAt('person:p1', count, NOW), NOW + due);
    }
    const spread = new Set(Array.from({ length: 20 }, (_, i) => retryAt(`person:p${i}`, 3, NOW)));
    assert.ok(spread.size > 10, 'objects refused together come back at different times');
  });

  it('the decider sends it neither before its wait is over nor counts the sync idle meanwhile, and asks to be woken then', () => {
    for (const times of [1, 4]) {
      const state = startSyncProcess(initialSyncState(), new Map([[refKey(p1), p1]]), NOW);
      for (const event of temporaryErrors(times)) evolve(state, event);
      const due = retryAt('person:p1', times, NOW);
      const early = decide(state, { type: 'NextStep', newBatchId: 'b' }, new Date(due - 1));
      assert.deepEqual(early.calls, [], `after ${times}`);
      assert.equal(isIdle(state, due - 1), false, 'work is left');
      assert.equal(nextDueAt(state), due);
      const late = decide(state, { type: 'NextStep', newBatchId: 'b' }, new Date(due));
      assert.deepEqual(late.calls.map((c) => c.type), ['Submit']);
    }
  });

  it('the count is kept per object until Skolverket takes it, and plan sends it when its wait is over', () => {
    const recorded = temporaryErrors(3).reduce(evolveSync, initialSyncState());
    assert.equal(recorded.temporaryErrors.get('person:p1'), 3);
    assert.deepEqual(previewSync(recorded, new Map([[refKey(p1), p1]]), new Date(NOW)).sends, [{ type: 'person', id: 'p1', operation: 'create', resend: false }]);
    const taken = [...temporaryErrors(3), ...temporaryErrors(1).map((e) => (e.type === 'JobResultsRecorded' ? { ...e, data: { ...e.data, results: [] } } : e))];
    assert.equal(taken.reduce(evolveSync, initialSyncState()).temporaryErrors.has('person:p1'), false);
  });
});
