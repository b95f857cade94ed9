import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ObjectType } from '@provsync/skolverket-api';
import { hashBody } from '../desired-state/canonical-hash.js';
import { type DesiredItem, SyncPlanner } from '../sync/plan-sync.js';
import { refKey } from '../sync/sync-events.js';
import { evolveSync, initialSyncState, type SyncState } from '../sync/sync-state.js';
import { compareHoldings } from './compare-holdings.js';
import { driftFound } from './drift-found.js';
import { heldObject, unreadObject } from './held-object.js';
import type { HeldObject, ReconcileEvent } from './reconcile-events.js';
import { evolveReconcile } from './reconcile-evolve.js';

const AT = '2026-08-14T08:00:00.000Z';
const desiredItem = (type: ObjectType, id: string, body: Record<string, unknown>, refs: Array<[ObjectType, string]> = []): DesiredItem => ({
  type,
  id,
  body: { id, ...body },
  hash: hashBody({ id, ...body }),
  refs: refs.map(([t, i]) => ({ type: t, id: i })),
});
const mapOf = (items: DesiredItem[]) => new Map(items.map((i) => [refKey(i), i]));
const heldOf = (type: ObjectType, item: HeldObject) => [refKey({ type, id: item.id }), item] as const;

/** A whole reconcile run that saw `held` (per type), folded into `state`; returns the keys it changed. */
function reconcile(state: SyncState, held: Array<[ObjectType, HeldObject]>, complete = true): string[] {
  const runId = 'run-1';
  const events: ReconcileEvent[] = [
    { type: 'ReconcileStarted', data: { runId, at: AT } },
    ...held.map(([objectType, item]): ReconcileEvent => ({ type: 'SkolverketHoldingsRead', data: { runId, objectType, held: [item], at: AT } })),
    ...(complete ? [{ type: 'ReconcileCompleted', data: { runId, at: AT } } as const] : []),
  ];
  return events.flatMap((e) => evolveReconcile(state, e));
}

/** Records that Skolverket accepted these upserts, as a sync would. */
function acknowledged(state: SyncState, type: ObjectType, items: DesiredItem[]): void {
  const batchId = `b-${type}`;
  const batchItems = items.map((i) => ({ id: i.id, hash: i.hash, refs: i.refs }));
  evolveSync(state, { type: 'BatchSubmissionStarted', data: { batchId, objectType: type, operation: 'upsert', items: batchItems, body: [], at: AT } });
  evolveSync(state, { type: 'JobResultsRecorded', data: { batchId, jobId: batchId, results: [], at: AT } });
}

describe('a held object as the sync compares it', () => {
  it('hashes like the desired body once Skolverket\'s meta and provisioningStatus are left out, whatever the key order', () => {
    const body = { id: 'p1', givenName: 'Anna', enrolments: [{ schoolYear: 6, enroledAt: { id: 'u1' } }] };
    const shown = { provisioningStatus: true, enrolments: [{ enroledAt: { id: 'u1' }, schoolYear: 6 }], meta: { created: AT, modified: AT }, givenName: 'Anna', id: 'p1' };
    assert.equal(heldObject('person', shown).hash, hashBody(body));
    assert.notEqual(heldObject('person', { ...shown, givenName: 'Anne' }).hash, hashBody(body));
  });

  it('refers to what the desired state\'s rules name: a duty its person, a group its members, an activity its group and teachers', () => {
    assert.deepEqual(heldObject('duty', { id: 'd1', person: { id: 'p1' } }).refs, [{ type: 'person', id: 'p1' }]);
    assert.deepEqual(heldObject('group', { id: 'g1', groupMemberships: [{ person: { id: 'p1' } }, { person: { id: 'p2' } }] }).refs, [
      { type: 'person', id: 'p1' },
      { type: 'person', id: 'p2' },
    ]);
    assert.deepEqual(heldObject('activity', { id: 'a1', groups: [{ id: 'g1' }], teachers: [{ duty: { id: 'd1' } }] }).refs, [
      { type: 'group', id: 'g1' },
      { type: 'duty', id: 'd1' },
    ]);
    assert.deepEqual(heldObject('person', { id: 'p1' }).refs, []);
  });
});

describe('comparing what Skolverket holds with the desired state', () => {
  it('counts equal, missing, different and leftover per type and lists the drift in send order, deletes last and in reverse', () => {
    const p1 = desiredItem('person', 'p1', { givenName: 'A' });
    const p2 = desiredItem('person', 'p2', { givenName: 'B' });
    const g1 = desiredItem('group', 'g1', { displayName: '7A' }, [['person', 'p1']]);
    const desired = mapOf([p1, p2, g1]);
    const held = new Map([
      heldOf('person', heldObject('person', p1.body as Record<string, unknown>)),
      heldOf('person', heldObject('person', { id: 'p2', givenName: 'Bea' })),
      heldOf('person', unreadObject('p9')),
      heldOf('group', heldObject('group', { id: 'g9', groupMemberships: [{ person: { id: 'p9' } }] })),
    ]);
    const { byType, drifted } = compareHoldings(desired, held);
    assert.deepEqual(byType.person, { held: 3, equal: 1, missing: 0, different: 1, leftover: 1 });
    assert.deepEqual(byType.group, { held: 1, equal: 0, missing: 1, different: 0, leftover: 1 });
    assert.deepEqual(
      drifted.map((d) => `${d.operation} ${d.type} ${d.id} (${d.drift})`),
      ['update person p2 (different)', 'create group g1 (missing)', 'delete group g9 (leftover)', 'delete person p9 (leftover)'],
    );
  });

  it('finds nothing to do when Skolverket holds exactly the desired state', () => {
    const items = [desiredItem('person', 'p1', { givenName: 'A' }), desiredItem('duty', 'd1', { person: { id: 'p1' } }, [['person', 'p1']])];
    const held = new Map(items.map((i) => heldOf(i.type, heldObject(i.type, i.body as Record<string, unknown>))));
    const { byType, drifted } = compareHoldings(mapOf(items), held);
    assert.deepEqual(drifted, []);
    assert.equal(byType.person.equal + byType.duty.equal, 2);
  });
});

describe('the sync state folding a reconcile', () => {
  const p1 = desiredItem('person', 'p1', { givenName: 'A' });
  const p2 = desiredItem('person', 'p2', { givenName: 'B' });
  const g1 = desiredItem('group', 'g1', { displayName: '7A', groupMemberships: [{ person: { id: 'p1' } }] }, [['person', 'p1']]);
  const held = (item: DesiredItem): [ObjectType, HeldObject] => [item.type, heldObject(item.type, item.body as Record<string, unknown>)];

  it('adopts held and equal objects as acknowledged: a fresh store sends nothing for them', () => {
    const state = initialSyncState();
    const desired = mapOf([p1, p2, g1]);
    reconcile(state, [held(p1), held(g1), ['person', heldObject('person', { id: 'p2', givenName: 'Bea' })]]);
    const planner = new SyncPlanner(desired, state);
    assert.equal(planner.verdict(refKey(p1)).state, 'in-sync');
    assert.equal(planner.verdict(refKey(g1)).state, 'in-sync');
    assert.deepEqual(planner.verdict(refKey(p2)), { state: 'ready', operation: 'upsert' }, 'held with other content: sent again');
  });

  it('no longer counts as acknowledged what Skolverket does not hold: it is sent again', () => {
    const state = initialSyncState();
    acknowledged(state, 'person', [p1, p2]);
    reconcile(state, [held(p1)]);
    assert.deepEqual(new SyncPlanner(mapOf([p1, p2]), state).verdict(refKey(p2)), { state: 'ready', operation: 'upsert' });
  });

  it('deletes leftovers in reverse dependency order: a leftover person waits for the leftover group that holds it', () => {
    const state = initialSyncState();
    reconcile(state, [['person', unreadObject('p9')], ['group', heldObject('group', { id: 'g9', groupMemberships: [{ person: { id: 'p9' } }] })]]);
    const planner = new SyncPlanner(new Map(), state);
    assert.deepEqual(planner.verdict('group:g9'), { state: 'ready', operation: 'delete' });
    assert.deepEqual(planner.verdict('person:p9'), { state: 'waiting', operation: 'delete', on: [{ type: 'group', id: 'g9' }] });
  });

  it('changes nothing until the run completes (a run cut off half-way must not take the unread for gone)', () => {
    const state = initialSyncState();
    acknowledged(state, 'person', [p1, p2]);
    assert.deepEqual(reconcile(state, [held(p1)], false), []);
    assert.deepEqual([...state.acknowledged.keys()].sort(), ['person:p1', 'person:p2']);
    assert.equal(state.reconcile?.runId, 'run-1');
  });

  it('keeps what a job result told during the run: it is newer than the page that missed it', () => {
    const state = initialSyncState();
    const runId = 'run-1';
    evolveReconcile(state, { type: 'ReconcileStarted', data: { runId, at: AT } });
    acknowledged(state, 'person', [p2]);
    const changed = evolveReconcile(state, { type: 'ReconcileCompleted', data: { runId, at: AT } });
    assert.deepEqual(changed, []);
    assert.equal(state.acknowledged.get('person:p2')?.hash, p2.hash);
  });

  it('leaves an object in flight to its batch\'s answer', () => {
    const state = initialSyncState();
    const items = [{ id: 'p2', hash: p2.hash, refs: [] }];
    evolveSync(state, { type: 'BatchSubmissionStarted', data: { batchId: 'b', objectType: 'person', operation: 'upsert', items, body: [], at: AT } });
    assert.deepEqual(reconcile(state, [['person', heldObject('person', { id: 'p2', givenName: 'old' })]]), []);
    assert.equal(state.acknowledged.has('person:p2'), false);
  });

  it('returns every key it changed, so a running sync judges exactly those again', () => {
    const state = initialSyncState();
    acknowledged(state, 'person', [p1, p2]);
    const changed = reconcile(state, [held(p1), ['person', unreadObject('p9')]]);
    assert.deepEqual(changed.sort(), ['person:p2', 'person:p9']);
  });
});

describe('drift found by a reconcile, as plan names it', () => {
  const p1 = desiredItem('person', 'p1', { givenName: 'A' });
  const p2 = desiredItem('person', 'p2', { givenName: 'B' });
  const p3 = desiredItem('person', 'p3', { givenName: 'C' });

  it('names what was not held, held otherwise and left over; never what is equal or what the sync itself sent', () => {
    const state = initialSyncState();
    acknowledged(state, 'person', [p1, p2]);
    reconcile(state, [
      ['person', heldObject('person', p1.body as Record<string, unknown>)],
      ['person', heldObject('person', { id: 'p3', givenName: 'Cecilia' })],
      ['person', unreadObject('p9')],
    ]);
    const found = driftFound(state, mapOf([p1, p2, p3]));
    assert.deepEqual(Object.fromEntries(found), { 'person:p2': 'missing', 'person:p3': 'different', 'person:p9': 'leftover' });
  });

  it('forgets an object once the sync has put it right', () => {
    const state = initialSyncState();
    reconcile(state, [['person', heldObject('person', { id: 'p3', givenName: 'Cecilia' })]]);
    acknowledged(state, 'person', [p3]);
    assert.deepEqual(driftFound(state, mapOf([p3])).size, 0);
  });
});
