import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deciderSpecification } from '../../../../test/support/decider-specification.js';
import type { DesiredItem } from './plan-sync.js';
import { decide, type SyncDecision, type SyncInput } from './sync-decider.js';
import { refKey, type SyncEvent } from './sync-events.js';
import { evolve, startSyncProcess, type SyncNote, type SyncProcess } from './sync-process.js';
import { initialSyncState } from './sync-state.js';
import { MIN_PAUSE_MS, pauseMs, stepOutcome } from './sync-step.js';

const NOW = new Date('2026-08-14T08:00:00.000Z');
const AT = NOW.toISOString();
const p1: DesiredItem = { type: 'person', id: 'p1', body: { id: 'p1' }, hash: 'p1#1', refs: [] };
const next: SyncInput = { type: 'NextStep', newBatchId: 'b1' };

/** The decider over desired [p1]; the step's outcome is read once its notes and events are applied, as the runner does. */
const sync = () =>
  deciderSpecification<SyncProcess, SyncEvent | SyncNote, SyncInput, SyncDecision>(
    { initialState: () => startSyncProcess(initialSyncState(), new Map([[refKey(p1), p1]]), NOW.getTime()), evolve, decide },
    NOW,
  );
const outcome = (decision: SyncDecision, state: SyncProcess) => {
  for (const change of [...decision.notes, ...decision.events]) evolve(state, change);
  return stepOutcome(state, decision, NOW.getTime());
};

const started: SyncEvent = {
  type: 'BatchSubmissionStarted',
  data: { batchId: 'x', objectType: 'person', operation: 'upsert', items: [{ id: 'p1', hash: p1.hash, refs: [] }], body: [p1.body], at: AT },
};
const accepted: SyncEvent = { type: 'BatchAccepted', data: { batchId: 'x', jobId: 'J', at: AT } };
const answered: SyncEvent = { type: 'JobResultsRecorded', data: { batchId: 'x', jobId: 'J', results: [], at: AT } };
const queryDueIn = (ms: number): SyncNote => ({ type: 'JobQueryScheduled', batchId: 'x', dueAt: NOW.getTime() + ms, queries: 0, acceptedAt: NOW.getTime() });

describe("the sync runner's step: busy, waiting or idle", () => {
  it('is busy when the step sent something (the runner steps again at once)', () => {
    sync().given().when(next).thenCheck((d, state) => assert.equal(outcome(d, state), 'busy'));
  });

  it('is waiting while a job Skolverket accepted is not yet due to be asked about', () => {
    sync().given(started, accepted, queryDueIn(1_150)).when(next).thenCheck((d, state) => assert.equal(outcome(d, state), 'waiting'));
  });

  it('is idle once Skolverket has answered for everything desired', () => {
    sync().given(started, accepted, answered).when(next).thenCheck((d, state) => assert.equal(outcome(d, state), 'idle'));
  });
});

describe("the sync runner's pause", () => {
  const waiting = (dueInMs: number) => {
    const state = startSyncProcess(initialSyncState(), new Map([[refKey(p1), p1]]), NOW.getTime());
    for (const change of [started, accepted, queryDueIn(dueInMs)]) evolve(state, change);
    return state;
  };

  it('lasts until the next job query falls due', () => {
    assert.equal(pauseMs(waiting(1_150), NOW.getTime(), 5_000), 1_150);
  });

  it('lasts at most the poll interval, so new SIS changes are picked up', () => {
    assert.equal(pauseMs(waiting(1_150), NOW.getTime(), 200), 200);
    assert.equal(pauseMs(undefined, NOW.getTime(), 200), 200);
  });

  it('never drops below the shortest pause, even when a query is overdue', () => {
    assert.equal(pauseMs(waiting(-500), NOW.getTime(), 200), MIN_PAUSE_MS);
  });
});
