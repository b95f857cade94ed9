import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ObjectType } from '@provsync/skolverket-api';
import type { ReferenceData } from '../reference/reference-data.js';
import { decideHold, evolveHolds, openHolds } from './hold-book.js';
import type { HoldPlaced, ReferenceDataLoss } from './hold-events.js';
import { exceedsThreshold, parseDeleteThreshold, type DeleteThreshold } from './hold-guard.js';
import { referenceDataLoss } from './hold-reference.js';
import { type DesiredItem, SyncPlanner } from './plan-sync.js';
import { decide, type SyncDecision, type SyncInput } from './sync-decider.js';
import { refKey, type SyncEvent } from './sync-events.js';
import { evolve, isIdle, startSyncProcess, type SyncProcess } from './sync-process.js';
import { initialSyncState } from './sync-state.js';

const NOW = new Date('2026-08-14T08:00:00.000Z');
const AT = NOW.toISOString();

const item = (type: ObjectType, id: string, refs: Array<[ObjectType, string]> = [], version = 1): DesiredItem => ({
  type,
  id,
  body: { id, version },
  hash: `${id}#${version}`,
  refs: refs.map(([t, i]) => ({ type: t, id: i })),
});

/** Sent, accepted and answered Success: what Skolverket holds before the SIS changes. */
function acknowledged(batchId: string, items: DesiredItem[]): SyncEvent[] {
  return [
    {
      type: 'BatchSubmissionStarted',
      data: { batchId, objectType: items[0]!.type, operation: 'upsert', items: items.map((i) => ({ id: i.id, hash: i.hash, refs: i.refs })), body: items.map((i) => i.body), at: AT },
    },
    { type: 'BatchAccepted', data: { batchId, jobId: `job-${batchId}`, at: AT } },
    { type: 'JobResultsRecorded', data: { batchId, jobId: `job-${batchId}`, results: [], at: AT } },
  ];
}

interface Run {
  state: SyncProcess;
  /** Calls in the order they went: `upsert person p1,p2`. */
  sent: string[];
  recorded: SyncEvent[];
}

/** Drives the decider as the runner does, Skolverket answering at once, until it comes to rest. */
function drive(state: SyncProcess, inputs: SyncInput[] = []): Run {
  const run: Run = { state, sent: [], recorded: [] };
  const apply = (d: SyncDecision) => {
    for (const note of d.notes) evolve(state, note);
    for (const event of d.events) evolve(state, event);
    run.recorded.push(...d.events);
    return d;
  };
  let t = NOW.getTime();
  for (const input of inputs) apply(decide(state, input, new Date(t)));
  for (let step = 1, quiet = 0; step < 200; step++) {
    t += 10_000;
    const [call] = apply(decide(state, { type: 'NextStep', newBatchId: `b${step}` }, new Date(t))).calls;
    if (!call) {
      if (isIdle(state, t) || ++quiet > 3) return run;
      continue;
    }
    quiet = 0;
    assert.equal(call.type, 'Submit');
    if (call.type !== 'Submit') break;
    run.sent.push(`${call.operation} ${call.objectType} ${call.body.map((b) => (typeof b === 'string' ? b : (b as { id: string }).id)).join(',')}`);
    apply(decide(state, { type: 'SubmissionAccepted', batchId: call.batchId, jobId: `j${step}` }, new Date(t)));
    apply(decide(state, { type: 'JobAnswered', batchId: call.batchId, jobId: `j${step}`, results: [] }, new Date(t)));
  }
  assert.fail('the sync did not come to rest');
}

/** A sync over `desired` after Skolverket acknowledged `history`, with the guard at `threshold`. */
function syncAfter(desired: DesiredItem[], history: SyncEvent[], threshold?: DeleteThreshold, referenceLoss?: ReferenceDataLoss): SyncProcess {
  const state = startSyncProcess(initialSyncState(), new Map(desired.map((i) => [refKey(i), i])), NOW.getTime(), { deleteThreshold: threshold, referenceLoss });
  for (const event of history) evolve(state, event);
  return state;
}

const decided = (state: SyncProcess, verdict: 'approve' | 'reject', holdId = 'hold-1'): SyncEvent => {
  const outcome = decideHold(state.recorded.holds, { verdict, holdId, by: 'operator', at: AT });
  assert.ok('event' in outcome, 'refused' in outcome ? outcome.refused : '');
  return outcome.event;
};

const pupils = Array.from({ length: 10 }, (_, i) => item('person', `p${i}`));
const klass = item('group', 'g1', pupils.map((p) => ['person', p.id] as [ObjectType, string]));
const loaded = [...acknowledged('x1', pupils), ...acknowledged('x2', [klass])];
/** The SIS export drops 6 of the 10 pupils: the class shrinks to the 4 left. */
const kept = pupils.slice(0, 4);
const shrunk = item('group', 'g1', kept.map((p) => ['person', p.id] as [ObjectType, string]), 2);
const TEN_PERCENT: DeleteThreshold = { maxObjects: 500, maxPercent: 10 };

describe('PROVSYNC_DELETE_THRESHOLD', () => {
  it('takes a count, a percentage, both, or off, and names what it cannot read', () => {
    assert.deepEqual(parseDeleteThreshold('500,10%'), { maxObjects: 500, maxPercent: 10 });
    assert.deepEqual(parseDeleteThreshold(' 25% , 40 '), { maxObjects: 40, maxPercent: 25 });
    assert.deepEqual(parseDeleteThreshold('500'), { maxObjects: 500 });
    assert.deepEqual(parseDeleteThreshold('off'), {});
    for (const bad of ['many', '500,600', '150%', '-5', '10%,20%']) assert.throws(() => parseDeleteThreshold(bad), /e\.g\. 500,10%/, bad);
  });

  it('trips above the object count, or above the share of a type Skolverket holds (rounded up)', () => {
    const keys = (type: ObjectType, n: number) => new Set(Array.from({ length: n }, (_, i) => `${type}:${i}`));
    const held = () => ({ person: 60, duty: 8, group: 10, activity: 0 });
    assert.equal(exceedsThreshold(keys('person', 6), TEN_PERCENT, held), false, '6 of 60 is 10 %');
    assert.equal(exceedsThreshold(keys('person', 7), TEN_PERCENT, held), true);
    assert.equal(exceedsThreshold(keys('duty', 1), TEN_PERCENT, held), false, 'one of 8 duties alone never trips it');
    assert.equal(exceedsThreshold(keys('duty', 2), TEN_PERCENT, held), true);
    assert.equal(exceedsThreshold(keys('person', 501), { maxObjects: 500 }, held), true);
    assert.equal(exceedsThreshold(keys('person', 500), { maxObjects: 500 }, held), false);
    assert.equal(exceedsThreshold(keys('person', 60), {}, held), false, 'off');
  });
});

describe('the mass-change guard in the sync decider', () => {
  it('holds the deletes of an export that drops 60 % of the pupils; the class update still goes', () => {
    const run = drive(syncAfter([...kept, shrunk], loaded, TEN_PERCENT));
    assert.deepEqual(run.sent, ['upsert group g1']);
    const holds = run.recorded.filter((e): e is HoldPlaced => e.type === 'HoldPlaced');
    assert.equal(holds.length, 1);
    assert.deepEqual(holds[0]!.data.deletes, { person: 6 });
    assert.deepEqual(holds[0]!.data.keys.sort(), pupils.slice(4).map((p) => `person:${p.id}`));
    assert.equal(holds[0]!.data.reason.kind, 'mass-delete');
    assert.equal(holds[0]!.data.holdId, 'hold-1');
    assert.equal(isIdle(run.state, NOW.getTime() + 10_000_000), true, 'only held work is left: `sync --until-idle` may stop');
    const planner = new SyncPlanner(new Map(), run.state.recorded);
    assert.deepEqual(planner.verdict('person:p9'), { state: 'held', holdId: 'hold-1' });
  });

  it('lets deletes under the threshold go without a hold', () => {
    const run = drive(syncAfter([...pupils.slice(0, 9), item('group', 'g1', pupils.slice(0, 9).map((p) => ['person', p.id] as [ObjectType, string]), 2)], loaded, TEN_PERCENT));
    assert.deepEqual(run.sent, ['upsert group g1', 'delete person p9']);
    assert.equal(run.recorded.some((e) => e.type === 'HoldPlaced'), false);
  });

  it('after approval sends exactly the held deletes, after what refers to them', () => {
    const first = drive(syncAfter([...kept, shrunk], loaded, TEN_PERCENT));
    const approved = drive(first.state, [{ type: 'NextStep', newBatchId: 'n' }]);
    assert.deepEqual(approved.sent, [], 'nothing goes before the decision');
    evolve(first.state, decided(first.state, 'approve'));
    const after = drive(first.state);
    assert.deepEqual(after.sent, ['delete person p4,p5,p6,p7,p8,p9']);
    assert.equal(after.recorded.some((e) => e.type === 'HoldPlaced'), false, 'approved deletes are not held again');
    assert.deepEqual(openHolds(first.state.recorded.holds), []);
  });

  it('after a reject deletes nothing, and keeps the objects at Skolverket', () => {
    const first = drive(syncAfter([...kept, shrunk], loaded, TEN_PERCENT));
    evolve(first.state, decided(first.state, 'reject'));
    const after = drive(first.state);
    assert.deepEqual(after.sent, []);
    assert.equal(after.recorded.length, 0, 'no new hold for what was rejected');
    assert.deepEqual(new SyncPlanner(new Map(), first.state.recorded).verdict('person:p9'), { state: 'kept', holdId: 'hold-1' });
  });

  it('a pupil back in the SIS after a reject is sent as usual, and a later removal is judged afresh', () => {
    const first = drive(syncAfter([...kept, shrunk], loaded, TEN_PERCENT));
    evolve(first.state, decided(first.state, 'reject'));
    const p9v2 = item('person', 'p9', [], 2);
    const desired = new Map([...kept, shrunk, p9v2].map((i) => [refKey(i), i]));
    const back = startSyncProcess(first.state.recorded, desired, NOW.getTime(), { deleteThreshold: TEN_PERCENT });
    assert.deepEqual(drive(back).sent, ['upsert person p9']);
    assert.equal(back.recorded.holds.rejected.has('person:p9'), false);
  });

  it('while a hold is open, a further delete waits; once it is decided, that delete is judged on its own', () => {
    const first = drive(syncAfter([...kept, shrunk], loaded, TEN_PERCENT));
    const fewer = item('group', 'g1', kept.slice(0, 3).map((p) => ['person', p.id] as [ObjectType, string]), 3);
    const desired = new Map([...kept.slice(0, 3), fewer].map((i) => [refKey(i), i]));
    const next = startSyncProcess(first.state.recorded, desired, NOW.getTime(), { deleteThreshold: TEN_PERCENT });
    const meanwhile = drive(next);
    assert.deepEqual(meanwhile.sent, ['upsert group g1'], 'p3 waits behind hold-1');
    assert.deepEqual(new SyncPlanner(desired, next.recorded, () => next.deletesMayGo).verdict('person:p3'), { state: 'held' });
    evolve(next, decided(next, 'reject'));
    assert.deepEqual(drive(next).sent, ['delete person p3'], 'one of ten is under the threshold');
  });

  it('holds even one delete after the open data lost a school unit, whatever the threshold', () => {
    const lost: ReferenceDataLoss = { schoolUnits: ['12345678'], programmes: [], testActivities: [] };
    const nine = pupils.slice(0, 9);
    const desired = [...nine, item('group', 'g1', nine.map((p) => ['person', p.id] as [ObjectType, string]), 2)];
    for (const run of [drive(syncAfter(desired, loaded, undefined, lost)), drive(syncAfter(desired, loaded), [{ type: 'ReferenceDataLost', lost }])]) {
      assert.deepEqual(run.sent, ['upsert group g1']);
      const hold = run.recorded.find((e): e is HoldPlaced => e.type === 'HoldPlaced');
      assert.deepEqual(hold?.data.reason, { kind: 'reference-data-lost', lost });
      assert.deepEqual(hold?.data.keys, ['person:p9']);
    }
  });

  it('takes a decision recorded while it runs (on the decisions stream) once, as if folded at its start', () => {
    const first = drive(syncAfter([...kept, shrunk], loaded, TEN_PERCENT));
    const approval = decided(first.state, 'approve');
    assert.equal(approval.type, 'HoldApproved');
    const after = drive(first.state, [{ type: 'HoldDecided', event: approval as Extract<SyncEvent, { type: 'HoldApproved' }> }]);
    assert.deepEqual(after.sent, ['delete person p4,p5,p6,p7,p8,p9']);
    assert.deepEqual(after.recorded.filter((e) => e.type.startsWith('Hold')), [], 'the decision is not recorded again on the sync stream');
    const again = decide(first.state, { type: 'HoldDecided', event: approval as Extract<SyncEvent, { type: 'HoldApproved' }> }, NOW);
    assert.match(again.ignored!, /hold-1 is already decided/);
  });

  it('without a threshold and without a reference loss, deletes go as before', () => {
    assert.deepEqual(drive(syncAfter([...kept, shrunk], loaded)).sent, ['upsert group g1', 'delete person p4,p5,p6,p7,p8,p9']);
  });
});

describe('an operator deciding a hold', () => {
  const placed: HoldPlaced = {
    type: 'HoldPlaced',
    data: { holdId: 'hold-1', reason: { kind: 'mass-delete', limit: 'x' }, deletes: { person: 1 }, keys: ['person:p1'], at: AT },
  };

  it('records who decided and when; a second decision or an unknown hold is refused with the reason', () => {
    const book = initialSyncState().holds;
    evolveHolds(book, placed);
    assert.deepEqual(decideHold(book, { verdict: 'reject', holdId: 'hold-9', by: 'ann', at: AT }), { refused: 'no hold hold-9; open: hold-1' });
    const outcome = decideHold(book, { verdict: 'approve', holdId: 'hold-1', by: 'ann', at: AT });
    assert.deepEqual(outcome, { event: { type: 'HoldApproved', data: { holdId: 'hold-1', by: 'ann', at: AT } } });
    evolveHolds(book, (outcome as { event: SyncEvent & { type: 'HoldApproved' } }).event);
    assert.deepEqual(decideHold(book, { verdict: 'reject', holdId: 'hold-1', by: 'bo', at: AT }), {
      refused: `hold-1 was already approved by ann at ${AT}`,
    });
    assert.equal(book.approved.has('person:p1'), true);
  });
});

describe('reference data that lost entries', () => {
  const reference = (units: string[], programmes: string[], tests: string[]): ReferenceData => ({
    organiser: { id: 'o', organisationNumber: '2120000000' },
    schoolUnits: units.map((code) => ({ id: code, displayName: code, schoolUnitCode: code }) as ReferenceData['schoolUnits'][number]),
    programmes: programmes.map((code) => ({ id: code, displayName: code, educationCode: code }) as ReferenceData['programmes'][number]),
    testActivities: tests.map((name) => ({ id: name, displayName: name }) as ReferenceData['testActivities'][number]),
    fetchedAt: AT,
  });

  it('names the school units, programmes and test activities no longer listed; additions are no loss', () => {
    const before = reference(['111', '222'], ['NA', 'EK'], ['MATMAT01', 'SVESVE01']);
    assert.deepEqual(referenceDataLoss(before, reference(['222'], ['NA', 'EK', 'TE'], ['MATMAT01'])), {
      schoolUnits: ['111'],
      programmes: [],
      testActivities: ['SVESVE01'],
    });
    assert.equal(referenceDataLoss(before, reference(['111', '222', '333'], ['NA', 'EK'], ['MATMAT01', 'SVESVE01'])), undefined);
    assert.equal(referenceDataLoss(undefined, before), undefined, 'the first reading loses nothing');
  });
});
