import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SisChange } from '../sis/sis-change.js';
import { desiredEntry, sisChangeEntry, syncEventEntries, type BatchRecord } from './audit-entries.js';
import { isProtectedIdentity } from './access-events.js';
import { changedFields } from './field-diff.js';
import { historyText } from './history-text.js';
import { personsConcerned, type RelationLookup } from './persons-concerned.js';

const noLookup: RelationLookup = { personOfDuty: () => undefined, membersOfGroup: () => [] };

describe('changedFields', () => {
  it('names the fields that differ, nested objects to their leaves, lists as one field', () => {
    const before = { id: 'p', givenName: 'A', civicNo: { value: '1', nationality: 'SE' }, emails: [{ value: 'a@x.se' }] };
    const after = { id: 'p', givenName: 'B', civicNo: { value: '2', nationality: 'SE' }, emails: [{ value: 'b@x.se' }] };
    assert.deepEqual(changedFields(before, after), ['civicNo.value', 'emails', 'givenName']);
  });
  it('names added and removed fields, and nothing for equal objects with keys in another order', () => {
    assert.deepEqual(changedFields({ a: 1, b: 2 }, { b: 2, c: 3 }), ['a', 'c']);
    assert.deepEqual(changedFields({ a: { x: 1, y: [1, 2] } }, { a: { y: [1, 2], x: 1 } }), []);
  });
  it('for a new object (no version before) names every field it has', () => {
    assert.deepEqual(changedFields({}, { id: 'p', familyName: 'F' }), ['familyName', 'id']);
  });
});

describe('personsConcerned', () => {
  const group = (members: string[], name = 'Class 7A') => ({ id: 'g', displayName: name, groupMemberships: members.map((id) => ({ person: { id } })) });
  it('a group change concerns the members it added or removed, not the others', () => {
    assert.deepEqual(personsConcerned('group', 'g', group(['a', 'b']), group(['b', 'c']), noLookup), ['a', 'c']);
  });
  it('a change to the group itself concerns every member, before and after', () => {
    assert.deepEqual(personsConcerned('group', 'g', group(['a', 'b']), group(['b'], 'Class 8A'), noLookup), ['a', 'b']);
  });
  it('a duty concerns its person (both when it moves to another)', () => {
    assert.deepEqual(personsConcerned('duty', 'd', { person: { id: 'p1' } }, { person: { id: 'p2' } }, noLookup), ['p1', 'p2']);
  });
  it('an activity concerns its teachers\' persons and the members of groups it gained or lost', () => {
    const lookup: RelationLookup = { personOfDuty: (d) => (d === 'd1' ? 't' : undefined), membersOfGroup: (g) => (g === 'g2' ? ['x', 'y'] : ['z']) };
    const before = { id: 'a', displayName: 'Ma', groups: [{ id: 'g1' }], teachers: [{ duty: { id: 'd1' } }] };
    const after = { ...before, groups: [{ id: 'g1' }, { id: 'g2' }] };
    assert.deepEqual(personsConcerned('activity', 'a', before, after, lookup), ['t', 'x', 'y']);
  });
  it('a person concerns itself; an organisation no one', () => {
    assert.deepEqual(personsConcerned('person', 'p', null, { id: 'p' }, noLookup), ['p']);
    assert.deepEqual(personsConcerned('organisation', 'o', null, { id: 'o' }, noLookup), []);
  });
});

describe('audit entries', () => {
  const change: SisChange = {
    entity: 'person', action: 'upserted', subject: 'p', source: 'sis://x', id: 'e1', time: '2026-03-03T08:00:00Z', actor: 'anna', data: { id: 'p', givenName: 'B' },
  };
  it('a SIS change names its actor, source, id, outcome and changed fields against the previous version', () => {
    const entry = sisChangeEntry('applied', change, { channel: 'file', receivedAt: 't', file: { name: 'f', line: 3 } }, 'r', { id: 'p', givenName: 'A' });
    assert.equal(entry.kind, 'sis-change');
    assert.deepEqual([entry.actor, entry.source, entry.id, entry.outcome, entry.fields, entry.at], ['anna', 'sis://x', 'e1', 'applied', ['givenName'], '2026-03-03T08:00:00Z']);
  });
  it('desired: now sent, no longer sent with the reasons, changed with the fields, nothing when equal', () => {
    const ref = { type: 'person' as const, id: 'p' };
    assert.equal(desiredEntry('p', ref, {}, { body: { a: 1 } }, [], 't')?.change, 'now-sent');
    assert.deepEqual(desiredEntry('p', ref, { body: { a: 1 } }, {}, ['no enrolment'], 't')?.reasons, ['no enrolment']);
    assert.deepEqual(desiredEntry('p', ref, { body: { a: 1, b: 1 } }, { body: { a: 2, b: 1 } }, [], 't')?.fields, ['a']);
    assert.equal(desiredEntry('p', ref, { body: { a: 1 } }, { body: { a: 1 } }, [], 't'), undefined);
  });
  it('a finished job answers per object: listed ones with their status and messages, unlisted ones Success', () => {
    const batch: BatchRecord = { objectType: 'person', operation: 'upsert', ids: ['p1', 'p2'], jobId: 'j' };
    const entries = syncEventEntries(
      { type: 'JobResultsRecorded', data: { batchId: 'b', jobId: 'j', at: 't', results: [{ id: 'p2', status: 'Error', errors: [{ message: 'invalid', attributeName: 'emails' }] }] } },
      batch,
    );
    assert.deepEqual(
      entries.map((e) => (e.kind === 'answer' ? [e.object.id, e.status, e.messages] : [])),
      [['p1', 'Success', []], ['p2', 'Error', ['emails: invalid']]],
    );
  });
  it('a submission names each object, its operation and batch; acceptance carries the job id to each', () => {
    const sent = syncEventEntries({ type: 'BatchSubmissionStarted', data: { batchId: 'b', objectType: 'duty', operation: 'delete', items: [{ id: 'd', hash: 'h', refs: [] }], body: [], at: 't' } }, undefined);
    assert.deepEqual(sent, [{ kind: 'sent', at: 't', object: { type: 'duty', id: 'd' }, operation: 'delete', batchId: 'b' }]);
    const accepted = syncEventEntries({ type: 'BatchAccepted', data: { batchId: 'b', jobId: 'j', at: 't2' } }, { objectType: 'duty', operation: 'delete', ids: ['d'] });
    assert.deepEqual(accepted, [{ kind: 'accepted', at: 't2', object: { type: 'duty', id: 'd' }, batchId: 'b', jobId: 'j' }]);
  });
});

describe('protected identities and the plain-text history', () => {
  it('any securityMarking but Ingen is protected; none given is not', () => {
    assert.equal(isProtectedIdentity({ securityMarking: 'Skyddad folkbokföring' }), true);
    assert.equal(isProtectedIdentity({ securityMarking: 'Ingen' }), false);
    assert.equal(isProtectedIdentity({}), false);
  });
  it('tells each entry in a line, oldest first as given', () => {
    const text = historyText({
      sisId: 'p',
      entity: 'person',
      entries: [
        sisChangeEntry('applied', { entity: 'person', action: 'upserted', subject: 'p', source: 's', id: 'e', time: 't1', actor: 'anna', data: { id: 'p' } }, { channel: 'http', receivedAt: 'x' }, 'r', null),
        { kind: 'answer', at: 't2', sisId: 'p', object: { type: 'person', id: 'p' }, batchId: 'b', jobId: 'j', status: 'Error', messages: ['emails: invalid'] },
      ],
    });
    const lines = text.split('\n');
    assert.equal(lines.length, 3);
    assert.match(lines[1]!, /^t1 .*changed id by anna, from s \(HTTP, event e\)/);
    assert.match(lines[2]!, /^t2 .*answered Error .*emails: invalid/);
  });
});
