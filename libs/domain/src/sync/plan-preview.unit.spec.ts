import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ObjectType } from '@provsync/skolverket-api';
import type { Explanation } from '../desired-state/explain.js';
import { previewSync } from './plan-preview.js';
import { AcknowledgedBodies, deleteReason } from './plan-reasons.js';
import type { DesiredItem } from './plan-sync.js';
import { refKey, type SyncEvent } from './sync-events.js';
import { evolveSync, initialSyncState, type SyncState } from './sync-state.js';

const NOW = new Date('2026-08-14T08:00:00.000Z');
const AT = NOW.toISOString();
const item = (type: ObjectType, id: string, refs: Array<[ObjectType, string]> = [], version = 1): DesiredItem => ({
  type,
  id,
  body: { id, version, name: `n${version}` },
  hash: `${id}#${version}`,
  refs: refs.map(([t, i]) => ({ type: t, id: i })),
});
const started = (batchId: string, items: DesiredItem[], operation: 'upsert' | 'delete' = 'upsert'): SyncEvent => ({
  type: 'BatchSubmissionStarted',
  data: {
    batchId,
    objectType: items[0]!.type,
    operation,
    items: items.map((i) => ({ id: i.id, hash: operation === 'upsert' ? i.hash : '', refs: operation === 'upsert' ? i.refs : [] })),
    body: items.map((i) => (operation === 'upsert' ? i.body : i.id)),
    at: AT,
  },
});
const answered = (batchId: string): SyncEvent[] => [
  { type: 'BatchAccepted', data: { batchId, jobId: `j-${batchId}`, at: AT } },
  { type: 'JobResultsRecorded', data: { batchId, jobId: `j-${batchId}`, results: [], at: AT } },
];
const stateOf = (events: SyncEvent[]): SyncState => events.reduce(evolveSync, initialSyncState());
const map = (items: DesiredItem[]) => new Map(items.map((i) => [refKey(i), i]));

const p1 = item('person', 'p1');
const p2 = item('person', 'p2');
const g1 = item('group', 'g1', [['person', 'p1'], ['person', 'p2']]);
const history = [started('a', [p1, p2]), ...answered('a'), started('b', [g1]), ...answered('b')];

describe('the dry run (provsync plan)', () => {
  it('lists what the sync would send, in its order: creates, updates, then deletes after what refers to them', () => {
    const p3 = item('person', 'p3');
    const g1v2 = item('group', 'g1', [['person', 'p1'], ['person', 'p3']], 2);
    const preview = previewSync(stateOf(history), map([p1, p3, g1v2]), NOW);
    assert.deepEqual(
      preview.sends.map((s) => `${s.operation} ${s.type} ${s.id}`),
      ['create person p3', 'update group g1', 'delete person p2'],
    );
    assert.deepEqual(preview.holds, []);
  });

  it('sends again, as it was, a batch recorded before a stop and never answered', () => {
    const preview = previewSync(stateOf([...history, started('c', [item('person', 'p2', [], 2)])]), map([p1, item('person', 'p2', [], 2), g1]), NOW);
    assert.deepEqual(preview.sends, [{ type: 'person', id: 'p2', operation: 'update', resend: true }]);
  });

  it('shows the hold the sync would place, and sends none of its deletes', () => {
    const preview = previewSync(stateOf(history), map([p1, item('group', 'g1', [['person', 'p1']], 2)]), NOW, { deleteThreshold: { maxObjects: 0 } });
    assert.deepEqual(preview.sends.map((s) => `${s.operation} ${s.type} ${s.id}`), ['update group g1']);
    assert.deepEqual(preview.held, [{ type: 'person', id: 'p2', holdId: 'hold-1' }]);
    assert.deepEqual(
      preview.holds.map((h) => ({ id: h.holdId, placed: h.placed, deletes: h.deletes, keys: h.keys })),
      [{ id: 'hold-1', placed: false, deletes: { person: 1 }, keys: ['person:p2'] }],
    );
  });

  it('sends nothing when Skolverket holds the desired state', () => {
    assert.deepEqual(previewSync(stateOf(history), map([p1, p2, g1]), NOW).sends, []);
  });
});

describe('the reasons plan gives', () => {
  it('names the fields an update changes against what Skolverket acknowledged', () => {
    const bodies = new AcknowledgedBodies();
    for (const event of history) bodies.apply(event);
    assert.deepEqual(bodies.bodies.get('person:p1'), p1.body);
    const refused: SyncEvent = { type: 'JobResultsRecorded', data: { batchId: 'c', jobId: 'j', results: [{ id: 'p1', status: 'Error' }], at: AT } };
    for (const event of [started('c', [item('person', 'p1', [], 2)]), refused]) bodies.apply(event);
    assert.deepEqual(bodies.bodies.get('person:p1'), p1.body, 'a refused upsert leaves the acknowledged body');
    for (const event of [started('d', [p1], 'delete'), ...answered('d')]) bodies.apply(event);
    assert.equal(bodies.bodies.has('person:p1'), false);
  });

  it('says why a delete: deleted in the SIS, ended by date, or the rules\' reasons', () => {
    const explained = (reasons: string[], entity?: Explanation['entity']): Explanation => ({ sisId: 'x', entity, sent: false, sentAs: [], reasons, notes: [] });
    assert.deepEqual(deleteReason(explained(['no SIS object with this id is held'])), { kind: 'deleted-in-sis' });
    assert.deepEqual(deleteReason(explained(['it has ended (endDate is before today)'], 'duty')), { kind: 'ended-by-date' });
    assert.deepEqual(deleteReason(explained(['has no groups'], 'activity')), { kind: 'no-longer-sent', why: ['has no groups'] });
  });
});
