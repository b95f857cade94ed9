import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ObjectType } from '@provsync/skolverket-api';
import { deciderSpecification } from '../../../../test/support/decider-specification.js';
import type { DesiredItem } from './plan-sync.js';
import { decide, type SyncDecision, type SyncInput } from './sync-decider.js';
import { type BatchItem, type ObjectResult, refKey, type SyncEvent } from './sync-events.js';
import { evolve, isIdle, MAX_BATCH_BYTES, nextDueAt, startSyncProcess, type SyncNote, type SyncProcess, type SyncTuning } from './sync-process.js';
import { initialSyncState } from './sync-state.js';

const NOW = new Date('2026-08-14T08:00:00.000Z');
const AT = NOW.toISOString();
const later = (ms: number) => new Date(NOW.getTime() + ms);

const item = (type: ObjectType, id: string, refs: Array<[ObjectType, string]> = [], version = 1): DesiredItem => ({
  type,
  id,
  body: { id, version },
  hash: `${id}#${version}`,
  refs: refs.map(([t, i]) => ({ type: t, id: i })),
});
const batchItem = (i: DesiredItem): BatchItem => ({ id: i.id, hash: i.hash, refs: i.refs });

/** The decider over a fixed desired state (what the projection says Skolverket should hold). */
function sync(desired: DesiredItem[], tuning: Partial<SyncTuning> = {}) {
  const map = new Map(desired.map((i) => [refKey(i), i]));
  return deciderSpecification<SyncProcess, SyncEvent | SyncNote, SyncInput, SyncDecision>(
    { initialState: () => startSyncProcess(initialSyncState(), map, NOW.getTime(), tuning), evolve, decide },
    NOW,
  );
}

const next = (newBatchId = 'b1'): SyncInput => ({ type: 'NextStep', newBatchId });

/** A batch as recorded before its call, and Skolverket's answers to it. */
const started = (batchId: string, items: DesiredItem[], operation: 'upsert' | 'delete' = 'upsert'): SyncEvent => ({
  type: 'BatchSubmissionStarted',
  data: {
    batchId,
    objectType: items[0]!.type,
    operation,
    items: operation === 'upsert' ? items.map(batchItem) : items.map((i) => ({ id: i.id, hash: '', refs: [] })),
    body: operation === 'upsert' ? items.map((i) => i.body) : items.map((i) => i.id),
    at: AT,
  },
});
const accepted = (batchId: string, jobId = `job-${batchId}`): SyncEvent => ({ type: 'BatchAccepted', data: { batchId, jobId, at: AT } });
const results = (batchId: string, list: ObjectResult[] = []): SyncEvent => ({
  type: 'JobResultsRecorded',
  data: { batchId, jobId: `job-${batchId}`, results: list, at: AT },
});
/** Sent, accepted and all answered Success. */
const acknowledged = (batchId: string, items: DesiredItem[], operation: 'upsert' | 'delete' = 'upsert') => [
  started(batchId, items, operation),
  accepted(batchId),
  results(batchId),
];

const submitted = (batchId: string, items: DesiredItem[]) => (d: SyncDecision) => {
  assert.deepEqual(d.events.map((e) => e.type), ['BatchSubmissionStarted']);
  const event = d.events[0] as Extract<SyncEvent, { type: 'BatchSubmissionStarted' }>;
  assert.equal(event.data.batchId, batchId);
  assert.deepEqual(event.data.items.map((i) => `${event.data.operation} ${event.data.objectType} ${i.id}`), items.map((i) => `upsert ${i.type} ${i.id}`));
  assert.deepEqual(d.calls, [{ type: 'Submit', batchId, objectType: event.data.objectType, operation: event.data.operation, body: event.data.body }]);
  assert.deepEqual(d.notes, [{ type: 'CallStarted', batchId }]);
};

/** Drives the decider as the runner would, Skolverket answering at once: the batches in the order they went. */
function sendAll(desired: DesiredItem[], history: SyncEvent[] = []): string[] {
  const state = startSyncProcess(initialSyncState(), new Map(desired.map((i) => [refKey(i), i])), NOW.getTime());
  const apply = (d: SyncDecision) => {
    for (const note of d.notes) evolve(state, note);
    for (const event of d.events) evolve(state, event);
    return d;
  };
  for (const event of history) evolve(state, event);
  const sent: string[] = [];
  for (let step = 1, t = NOW.getTime(); step < 100; step++) {
    t += 10_000; // past any hold
    const [call] = apply(decide(state, next(`b${step}`), new Date(t))).calls;
    if (!call) {
      if (isIdle(state, t)) return sent;
      continue;
    }
    assert.equal(call.type, 'Submit');
    if (call.type !== 'Submit') break;
    sent.push(`${call.operation} ${call.objectType} ${call.body.map((b) => (typeof b === 'string' ? b : (b as { id: string }).id)).join(',')}`);
    apply(decide(state, { type: 'SubmissionAccepted', batchId: call.batchId, jobId: `j${step}` }, new Date(t)));
    apply(decide(state, { type: 'JobAnswered', batchId: call.batchId, jobId: `j${step}`, results: [] }, new Date(t)));
  }
  assert.fail('the sync did not come to rest');
}

const p1 = item('person', 'p1');
const p2 = item('person', 'p2');
const d1 = item('duty', 'd1', [['person', 'p2']]);
const g1 = item('group', 'g1', [['person', 'p1']]);
const a1 = item('activity', 'a1', [['group', 'g1'], ['duty', 'd1']]);

describe('the sync decider: what to send next', () => {
  it('sends nothing and is idle when Skolverket already holds the desired state', () => {
    sync([p1]).given(...acknowledged('x', [p1])).when(next()).thenCheck((d, state) => {
      assert.deepEqual(d, { events: [], notes: [], calls: [] });
      assert.equal(isIdle(state, NOW.getTime()), true);
    });
  });

  it('records a batch before its call, and sends Persons first', () => {
    sync([a1, g1, d1, p1, p2]).given().when(next('b1')).thenCheck(submitted('b1', [p1, p2]));
  });

  it('sends a Duty and a Group only once the Persons they refer to are acknowledged', () => {
    sync([d1, g1, p1, p2]).given(started('x', [p1, p2]), accepted('x')).when(next()).then({ events: [], calls: [] });
    sync([d1, g1, p1, p2]).given(...acknowledged('x', [p1, p2])).when(next('b2')).thenCheck(submitted('b2', [d1]));
    sync([d1, g1, p1, p2]).given(...acknowledged('x', [p1, p2]), ...acknowledged('y', [d1])).when(next('b3')).thenCheck(submitted('b3', [g1]));
  });

  it('sends an Activity last, once its Group and Duty exist', () => {
    const all = [p1, p2, d1, g1, a1];
    const before = [...acknowledged('x', [p1, p2]), ...acknowledged('y', [d1])];
    sync(all).given(...before).when(next('b3')).thenCheck(submitted('b3', [g1]));
    sync(all).given(...before, ...acknowledged('z', [g1])).when(next('b4')).thenCheck(submitted('b4', [a1]));
  });

  it('starts no call while as many calls as allowed are under way', () => {
    sync([p1], { maxOutstandingCalls: 2 })
      .given({ type: 'CallStarted', batchId: 'q1' }, { type: 'CallStarted', batchId: 'q2' })
      .when(next())
      .then({ events: [], calls: [] });
  });

  it('resumes a batch recorded before a crash by sending exactly it again, before anything new', () => {
    sync([p1, p2]).given(started('old', [p1])).when(next('new')).then({
      events: [],
      notes: [{ type: 'CallStarted', batchId: 'old' }],
      calls: [{ type: 'Submit', batchId: 'old', objectType: 'person', operation: 'upsert', body: [p1.body] }],
    });
  });

  it('sends a batch whose call got no answer again once its wait is over, not before', () => {
    const history = [started('x', [p1]), { type: 'ResendScheduled', batchId: 'x', at: NOW.getTime() + 1_000 } as SyncNote];
    sync([p1]).given(...history).when(next()).then({ calls: [] });
    sync([p1]).given(...history).when(next(), later(1_000)).then({ calls: [{ type: 'Submit', batchId: 'x', objectType: 'person', operation: 'upsert', body: [p1.body] }] });
  });

  it('asks about a job once, when it is expected to be done, and not while that call is under way', () => {
    const history = [started('x', [p1]), accepted('x', 'J'), { type: 'JobQueryScheduled', batchId: 'x', dueAt: NOW.getTime() + 1_150, queries: 0, acceptedAt: NOW.getTime() } as SyncNote];
    sync([p1]).given(...history).when(next(), later(1_149)).then({ calls: [] });
    sync([p1]).given(...history).when(next(), later(1_150)).then({
      notes: [{ type: 'CallStarted', batchId: 'x' }],
      calls: [{ type: 'QueryJob', batchId: 'x', objectType: 'person', jobId: 'J' }],
    });
    sync([p1]).given(...history, { type: 'CallStarted', batchId: 'x' }).when(next(), later(5_000)).then({ calls: [] });
  });

  it('a job accepted before a restart is asked about after the expected job delay', () => {
    sync([p1]).given().when(next()).thenCheck((_, state) => assert.equal(nextDueAt(state), Infinity));
    const recorded = initialSyncState();
    for (const e of [started('x', [p1]), accepted('x')]) evolve(startSyncProcess(recorded, new Map(), 0), e);
    assert.equal(nextDueAt(startSyncProcess(recorded, new Map(), NOW.getTime())), NOW.getTime() + 1_150);
  });

  it('refuses, without a call, a single object over Skolverket\'s size limit, until it changes', () => {
    const big = { ...item('person', 'big'), body: { id: 'big', text: 'x'.repeat(MAX_BATCH_BYTES) } };
    sync([big]).given().when(next('b1')).thenCheck((d) => {
      assert.deepEqual(d.events.map((e) => e.type), ['BatchSubmissionStarted', 'BatchRefused']);
      assert.equal((d.events[1] as Extract<SyncEvent, { type: 'BatchRefused' }>).data.retry, false);
      assert.deepEqual(d.calls, []);
    });
  });

  it('packs batches by their JSON size, within the limit a 413 lowered', () => {
    const people = Array.from({ length: 20 }, (_, i) => item('person', `p${String(i).padStart(2, '0')}`));
    sync(people).given({ type: 'PackingLimitLowered', maxBatchBytes: 200 }).when(next()).thenCheck((d) => {
      const body = (d.calls[0] as Extract<SyncDecision['calls'][number], { type: 'Submit' }>).body;
      assert.ok(body.length > 1 && body.length < 20, `${body.length} objects`);
      assert.ok(Buffer.byteLength(JSON.stringify(body)) <= 200);
    });
  });

  it('holds a part-filled batch while jobs it depends on may make more ready, then sends it after the hold', () => {
    const p3 = item('person', 'p3');
    const g2 = item('group', 'g2', [['person', 'p3']]);
    const history = [...acknowledged('x', [p1]), started('y', [p3]), accepted('y')];
    sync([p1, p3, g1, g2], { maxHoldMs: 2_000 }).given(...history, { type: 'CallStarted', batchId: 'y' }).when(next()).thenCheck((d, state) => {
      assert.deepEqual(d.calls, [], 'g2 may join g1 once p3 is acknowledged');
      submitted('b', [g1])(decide(state, next('b'), later(2_000)));
    });
  });

  it('re-sends only what changed', () => {
    const p1v2 = item('person', 'p1', [], 2);
    sync([p1v2, p2]).given(...acknowledged('x', [p1, p2])).when(next('b')).thenCheck(submitted('b', [p1v2]));
  });

  it('deletes in reverse order: the Activity first, the Group once nothing refers to it', () => {
    const history = [...acknowledged('x', [p1]), ...acknowledged('y', [g1]), ...acknowledged('z', [{ ...a1, refs: [{ type: 'group', id: 'g1' }] }])];
    const deletes = (d: SyncDecision) => d.calls.map((c) => (c.type === 'Submit' ? `${c.operation} ${c.objectType} ${c.body.join(',')}` : c.type));
    sync([p1]).given(...history).when(next()).thenCheck((d) => assert.deepEqual(deletes(d), ['delete activity a1']));
    sync([p1]).given(...history, ...acknowledged('w', [a1], 'delete')).when(next()).thenCheck((d) => assert.deepEqual(deletes(d), ['delete group g1']));
  });

  it('leaves an object Skolverket refused alone until its content changes', () => {
    const refused = [started('x', [p1]), accepted('x'), results('x', [{ id: 'p1', status: 'Error', errors: [{ message: 'bad' }] }])];
    sync([p1]).given(...refused).when(next()).then({ events: [], calls: [] });
    sync([item('person', 'p1', [], 2)]).given(...refused).when(next('b')).thenCheck(submitted('b', [item('person', 'p1', [], 2)]));
  });

  it('sends again an object that answered TemporaryError, once its wait is over', () => {
    const answered = [started('x', [p1]), accepted('x'), results('x', [{ id: 'p1', status: 'TemporaryError' }])];
    sync([p1]).given(...answered).when(next('b')).then({ calls: [] });
    sync([p1]).given(...answered).when(next('b'), later(1_000)).thenCheck(submitted('b', [p1]));
  });

  it('sends a Group before a member Skolverket refused, and again once that member is acknowledged', () => {
    const g = item('group', 'g', [['person', 'p1'], ['person', 'p2']]);
    const history = [...acknowledged('x', [p1]), started('y', [p2]), accepted('y'), results('y', [{ id: 'p2', status: 'Error' }])];
    sync([p1, p2, g]).given(...history).when(next('b')).thenCheck(submitted('b', [g]));
    const warned = [started('z', [g]), accepted('z'), results('z', [{ id: 'g', status: 'Warning', warnings: [{ message: 'member p2 not found' }] }])];
    sync([p1, p2, g]).given(...history, ...warned).when(next()).then({ calls: [] });
    const p2v2 = item('person', 'p2', [], 2);
    sync([p1, p2v2, g]).given(...history, ...warned, ...acknowledged('v', [p2v2])).when(next('c')).thenCheck(submitted('c', [g]));
  });

  it('takes desired-state changes as they come', () => {
    sync([p1]).given().when({ type: 'DesiredStateChanged', keys: ['person:p1'] }).then({ events: [], calls: [], notes: [{ type: 'DesiredStateChanged', keys: ['person:p1'] }] });
  });
});

describe('the sync decider: whole syncs, Skolverket answering at once', () => {
  const synced = [...acknowledged('x1', [p1, p2]), ...acknowledged('x2', [d1]), ...acknowledged('x3', [g1]), ...acknowledged('x4', [a1])];

  it('loads Person → Duty → Group → Activity', () => {
    assert.deepEqual(sendAll([a1, g1, d1, p1, p2]), ['upsert person p1,p2', 'upsert duty d1', 'upsert group g1', 'upsert activity a1']);
  });

  it('an ended duty: updates the activity first, and deletes the duty once nothing refers to it', () => {
    const a1v2 = item('activity', 'a1', [['group', 'g1']], 2);
    assert.deepEqual(sendAll([p1, p2, g1, a1v2], synced), ['upsert activity a1', 'delete duty d1']);
  });

  it('a re-sent delete that Skolverket answers 404 (the first one did it) counts as done, and what waited on it goes', () => {
    const history = [...synced, ...acknowledged('w1', [a1], 'delete'), ...acknowledged('w2', [g1], 'delete')];
    const notThere: ObjectResult = { id: 'd1', status: 'Error', statusCode: 404, errors: [{ message: 'Resursen finns inte', attributeName: 'id' }] };
    const afterResend = [...history, started('w3', [d1], 'delete'), accepted('w3'), results('w3', [notThere])];
    assert.deepEqual(sendAll([], afterResend), ['delete person p1,p2']);
    const refused: ObjectResult = { id: 'd1', status: 'Error', statusCode: 409, errors: [{ message: 'still referenced' }] };
    assert.deepEqual(sendAll([], [...history, started('w3', [d1], 'delete'), accepted('w3'), results('w3', [refused])]), ['delete person p1'], 'any other refusal parks the delete, and p2 waits on d1');
  });

  it('a whole school year ended: deletes Activity → Group → Duty → Person', () => {
    assert.deepEqual(sendAll([], synced), ['delete activity a1', 'delete group g1', 'delete duty d1', 'delete person p1,p2']);
  });
});

describe('the sync decider: what Skolverket answered to a submission', () => {
  it('records the job and plans one status call after the expected job delay', () => {
    sync([p1]).given(started('x', [p1]), { type: 'CallStarted', batchId: 'x' }).when({ type: 'SubmissionAccepted', batchId: 'x', jobId: 'J' }).then({
      events: [accepted('x', 'J')],
      notes: [{ type: 'CallSettled', batchId: 'x' }, { type: 'JobQueryScheduled', batchId: 'x', dueAt: NOW.getTime() + 1_150, queries: 0, acceptedAt: NOW.getTime() }],
    });
  });

  it('ignores an acceptance for a batch already accepted or closed', () => {
    sync([p1]).given(started('x', [p1]), accepted('x', 'J')).when({ type: 'SubmissionAccepted', batchId: 'x', jobId: 'K' }).thenCheck((d) => {
      assert.deepEqual(d.events, []);
      assert.match(d.ignored!, /already accepted as job J/);
    });
    sync([p1]).given(...acknowledged('x', [p1])).when({ type: 'SubmissionAccepted', batchId: 'x', jobId: 'K' }).thenCheck((d) => assert.match(d.ignored!, /no longer open/));
  });

  const failed = (failure: Extract<SyncInput, { type: 'SubmissionFailed' }>['failure']): SyncInput => ({ type: 'SubmissionFailed', batchId: 'x', failure });

  it('413: refuses the batch for a retry, records its two halves, and packs smaller from now on', () => {
    const people = [p1, p2, item('person', 'p3')];
    sync(people).given(started('x', people)).when(failed({ kind: 'payload-too-large', bodyBytes: 1_000, message: '413' })).thenCheck((d) => {
      assert.deepEqual(d.events.map((e) => `${e.type} ${'batchId' in e.data ? e.data.batchId : ''}`), ['BatchRefused x', 'BatchSubmissionStarted x.1', 'BatchSubmissionStarted x.2']);
      assert.equal((d.events[0] as Extract<SyncEvent, { type: 'BatchRefused' }>).data.retry, true);
      const halves = d.events.slice(1).map((e) => (e as Extract<SyncEvent, { type: 'BatchSubmissionStarted' }>).data.items.map((i) => i.id));
      assert.deepEqual(halves, [['p1', 'p2'], ['p3']]);
      assert.deepEqual(d.notes, [{ type: 'CallSettled', batchId: 'x' }, { type: 'PackingLimitLowered', maxBatchBytes: 900 }]);
      assert.deepEqual(d.calls, [], 'the halves go by the next steps, within the call limit');
    });
  });

  it('413 for a single object: refuses it for good (until it changes)', () => {
    sync([p1]).given(started('x', [p1])).when(failed({ kind: 'payload-too-large', bodyBytes: 300_000, message: 'too large' })).then({
      events: [{ type: 'BatchRefused', data: { batchId: 'x', retry: false, reason: 'too large', at: AT } }],
    });
  });

  it('a whole-batch 4xx parks the batch\'s objects with Skolverket\'s reason', () => {
    sync([p1]).given(started('x', [p1])).when(failed({ kind: 'status', status: 400, message: 'Bad request: id' })).thenCheck((d, state) => {
      assert.deepEqual(d.events, [{ type: 'BatchRefused', data: { batchId: 'x', retry: false, reason: 'Bad request: id', at: AT } }]);
      evolve(state, d.events[0]!);
      assert.deepEqual(state.recorded.parked.get('person:p1')?.messages, [{ message: 'Bad request: id' }]);
    });
  });

  for (const failure of [
    { kind: 'status', status: 429, message: 'too many' },
    { kind: 'status', status: 503, message: 'unavailable' },
    { kind: 'status', status: 408, message: 'timeout' },
    { kind: 'unavailable', message: 'circuit open' },
  ] as const) {
    it(`${failure.kind === 'status' ? failure.status : failure.kind}: keeps the batch open and sends it again after a second`, () => {
      sync([p1]).given(started('x', [p1])).when(failed(failure)).then({
        events: [],
        calls: [],
        notes: [{ type: 'CallSettled', batchId: 'x' }, { type: 'ResendScheduled', batchId: 'x', at: NOW.getTime() + 1_000 }],
      });
    });
  }

  it('a refused token or a fault of our own stops the sync with the batch still open', () => {
    for (const kind of ['token-refused', 'unexpected'] as const) {
      sync([p1]).given(started('x', [p1])).when(failed({ kind, message: 'act on this' })).then({ events: [], stop: 'act on this' });
    }
  });

  it('ignores a failure for a batch already accepted', () => {
    sync([p1]).given(started('x', [p1]), accepted('x')).when(failed({ kind: 'unavailable', message: '' })).thenCheck((d) => assert.match(d.ignored!, /already accepted/));
  });
});

describe('the sync decider: what Skolverket answered about a job', () => {
  const awaited = [started('x', [p1, p2]), accepted('x', 'J'), { type: 'JobQueryScheduled', batchId: 'x', dueAt: 0, queries: 0, acceptedAt: NOW.getTime() } as SyncNote];
  const answer = (list: ObjectResult[], serverTiming?: { createdMs: number; finishedMs: number }): SyncInput => ({ type: 'JobAnswered', batchId: 'x', jobId: 'J', results: list, serverTiming });

  it('records a finished job\'s results and learns the job delay from Skolverket\'s own stamps', () => {
    sync([p1, p2]).given(...awaited).when(answer([{ id: 'p2', status: 'Warning' }], { createdMs: 0, finishedMs: 700 })).then({
      events: [{ type: 'JobResultsRecorded', data: { batchId: 'x', jobId: 'J', results: [{ id: 'p2', status: 'Warning' }], at: AT } }],
      notes: [{ type: 'CallSettled', batchId: 'x' }, { type: 'JobDelayObserved', createdMs: 0, finishedMs: 700 }],
    });
  });

  it('asks again later while the job is pending, backing off', () => {
    sync([p1, p2]).given(...awaited).when(answer([{ id: 'p1', status: 'Pending' }]), later(1_200)).then({
      events: [],
      notes: [{ type: 'CallSettled', batchId: 'x' }, { type: 'JobQueryScheduled', batchId: 'x', dueAt: NOW.getTime() + 1_300, queries: 1, acceptedAt: NOW.getTime() }],
    });
  });

  it('ignores a late or duplicate answer', () => {
    sync([p1, p2]).given(...awaited, results('x')).when(answer([])).thenCheck((d) => {
      assert.deepEqual(d.events, []);
      assert.match(d.ignored!, /not awaited/);
    });
  });

  it('a failed status call is asked again; a refused token stops the sync', () => {
    sync([p1, p2]).given(...awaited).when({ type: 'JobQueryFailed', batchId: 'x', failure: { kind: 'status', status: 503, message: '' } }).then({
      notes: [{ type: 'CallSettled', batchId: 'x' }, { type: 'JobQueryScheduled', batchId: 'x', dueAt: NOW.getTime() + 1_150, queries: 1, acceptedAt: NOW.getTime() }],
    });
    sync([p1, p2]).given(...awaited).when({ type: 'JobQueryFailed', batchId: 'x', failure: { kind: 'token-refused', message: 'token' } }).then({ stop: 'token' });
  });
});

describe('the sync decider: Skolverket\'s availability', () => {
  const down: SyncInput = { type: 'AvailabilityChanged', availability: { available: false, since: AT, reason: '503 three times' } };
  it('records the circuit breaker opening and closing, each move once', () => {
    sync([]).given().when(down).then({ events: [{ type: 'SkolverketUnavailable', data: { reason: '503 three times', at: AT } }] });
    const wasDown: SyncEvent = { type: 'SkolverketUnavailable', data: { reason: '503', at: AT } };
    sync([]).given(wasDown).when(down).thenCheck((d) => assert.ok(d.ignored && d.events.length === 0));
    sync([]).given(wasDown).when({ type: 'AvailabilityChanged', availability: { available: true } }).then({ events: [{ type: 'SkolverketAvailable', data: { at: AT } }] });
  });
});
