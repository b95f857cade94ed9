import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { endDuty, movePupil, updatePerson } from './change-helpers.js';
import { generateMunicipality } from './municipality-events.js';
import { objectOf, objectsOf } from './state.js';
import { assertContract } from '../testing/contract-assertions.js';

const today = '2026-10-05';
const { events, state } = generateMunicipality({ seed: 11, today: '2026-09-01', pupils: 400 });
const classes = objectsOf(state, 'group').filter((g) => g.groupType === 'Klass');
const [from, to] = [classes[0]!, classes[1]!];
const pupilId = from.groupMemberships[0]!.person.id;

describe('movePupil', () => {
  const change = movePupil(state, pupilId, to.id, today);

  it('ends the membership in the old class yesterday and starts one in the new class today', () => {
    assert.deepEqual(change.events.map((e) => e.subject), [from.id, to.id]);
    const oldClass = objectOf(change.state, 'group', from.id);
    const newClass = objectOf(change.state, 'group', to.id);
    assert.equal(oldClass.groupMemberships.find((m) => m.person.id === pupilId)!.endDate, '2026-10-04');
    assert.deepEqual(newClass.groupMemberships.at(-1), { person: { id: pupilId }, startDate: today });
    assert.equal(newClass.groupMemberships.length, to.groupMemberships.length + 1);
  });

  it('continues the event stream: fresh ids, higher sequence numbers, later times', () => {
    assertContract([...events, ...change.events]);
    assert.ok(change.events.every((e) => e.time >= `${today}T08:00:00.000Z`));
    assert.equal(change.state.sequence, state.sequence + 2);
  });

  it('leaves the state it was given untouched', () => {
    assert.equal(objectOf(state, 'group', from.id), from);
    assert.equal(from.groupMemberships[0]!.endDate, undefined);
  });

  it('refuses a move into the class the pupil is in, or into a non-Klass group', () => {
    assert.throws(() => movePupil(change.state, pupilId, to.id, '2026-10-06'), /already/);
    const teaching = objectsOf(state, 'group').find((g) => g.groupType === 'Undervisning')!;
    assert.throws(() => movePupil(state, pupilId, teaching.id, today), /not a Klass/);
  });

  it('can move the pupil back later', () => {
    const back = movePupil(change.state, pupilId, from.id, '2026-11-01');
    const oldClass = objectOf(back.state, 'group', from.id);
    const memberships = oldClass.groupMemberships.filter((m) => m.person.id === pupilId);
    assert.equal(memberships.length, 2);
    assert.equal(objectOf(back.state, 'group', to.id).groupMemberships.at(-1)!.endDate, '2026-10-31');
  });
});

describe('endDuty', () => {
  it('emits the duty with its end date', () => {
    const duty = objectsOf(state, 'duty')[0]!;
    const change = endDuty(state, duty.id, '2026-12-31');
    assert.equal(change.events.length, 1);
    assert.deepEqual(change.events[0]!.data, { ...duty, endDate: '2026-12-31' });
    assertContract([...events, ...change.events]);
  });

  it('refuses an unknown duty', () => {
    assert.throws(() => endDuty(state, '00000000-0000-0000-0000-000000000000', '2026-12-31'), /no duty/);
  });
});

describe('updatePerson', () => {
  it('replaces the given attributes and keeps the id', () => {
    const person = objectsOf(state, 'person')[0]!;
    const change = updatePerson(state, person.id, { familyName: 'Ek', id: 'ignored' } as never, today);
    assert.deepEqual(change.events[0]!.data, { ...person, familyName: 'Ek' });
    assert.equal(objectOf(change.state, 'person', person.id).familyName, 'Ek');
    assertContract([...events, ...change.events]);
  });

  it('accepts a function, and two different updates from one state get different event ids', () => {
    const person = objectsOf(state, 'person')[0]!;
    const a = updatePerson(state, person.id, (p) => ({ ...p, givenName: 'Tova' }));
    const b = updatePerson(state, person.id, (p) => ({ ...p, givenName: 'Ture' }));
    assert.notEqual(a.events[0]!.id, b.events[0]!.id);
    assert.equal(a.events[0]!.sequence, b.events[0]!.sequence);
  });
});
