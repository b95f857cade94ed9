import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  activity,
  duty,
  given,
  group,
  id,
  OUR_GR,
  pupil,
  reference,
  remove,
  schoolUnitOrg,
  teacher,
  upsert,
} from '../../testing/sis-test-builders.js';
import { hashBody } from './canonical-hash.js';
import { schoolUnitUuid } from './uuid-v5.js';

const school = [pupil('ada'), teacher('tina'), duty('tina-duty', 'tina'), group('6A', ['ada']), activity('math6', ['6A'], ['tina-duty'])];
const keys = (p: ReturnType<typeof given>) =>
  (['person', 'duty', 'group', 'activity'] as const).flatMap((t) => p.list(t).map((o) => `${t}:${o.id}`)).sort();

describe('DesiredStateProjection', () => {
  it('given a school, then person, duty, group and activity are desired, each referring to what must exist first', () => {
    const projection = given(school);
    assert.equal(keys(projection).length, 5);
    assert.deepEqual(projection.get('group', id('6A'))?.refs, [{ type: 'person', id: id('ada') }]);
    assert.deepEqual(projection.get('activity', id('math6'))?.refs, [
      { type: 'group', id: id('6A') },
      { type: 'duty', id: id('tina-duty') },
    ]);
  });

  it('given a school, then each body, built again when read, is the content its hash and size were taken of', () => {
    const projection = given(school);
    for (const type of ['person', 'duty', 'group', 'activity'] as const) {
      for (const o of projection.list(type)) {
        assert.equal(hashBody(o.body), o.hash, `${type} body hash`);
        assert.equal(new TextEncoder().encode(JSON.stringify(o.body)).length + 1, o.bytes, `${type} body size`);
      }
    }
  });

  it('given the same SIS objects in another order, then the same desired objects with the same hashes', () => {
    const a = given(school);
    const b = given([...school].reverse());
    assert.deepEqual(keys(a), keys(b));
    for (const type of ['person', 'duty', 'group', 'activity'] as const) {
      for (const o of a.list(type)) assert.equal(b.get(type, o.id)?.hash, o.hash);
    }
  });

  it('when an upsert changes nothing Skolverket sees, then no desired object changes', () => {
    const projection = given(school);
    const changed = projection.apply(upsert({ ...pupil('ada'), favouriteColour: 'blue' } as { id: string }));
    assert.deepEqual([...changed], []);
  });

  it('when a school unit’s organisation is deleted, then everything at it disappears', () => {
    const projection = given(school);
    const changed = projection.apply(remove('organisation', id(`org-${OUR_GR}`)));
    assert.equal(changed.size, 5);
    assert.deepEqual(keys(projection), []);
    assert.match(projection.explain(id('6A')).reasons.join(), /organisation .* is unknown/);
  });

  it('given objects that refer to an organisation not yet received, when it arrives, then they are sent', () => {
    const projection = given([]);
    projection.apply(remove('organisation', id(`org-${OUR_GR}`)));
    for (const o of school) projection.apply(upsert(o));
    assert.deepEqual(keys(projection), []);
    const changed = projection.apply(upsert(schoolUnitOrg(OUR_GR)));
    assert.equal(changed.size, 5);
  });

  it('when the reference data no longer lists our school unit, then everything at it disappears; when it returns, it comes back', () => {
    const projection = given(school);
    const without = reference();
    without.schoolUnits = without.schoolUnits.filter((u) => u.schoolUnitCode !== OUR_GR);
    assert.equal(projection.setReference(without).size, 5);
    assert.match(projection.explain(id('tina-duty')).reasons.join(), /school unit code 11111111 .* is not one of the organiser's school units/);
    assert.equal(projection.setReference(reference()).size, 5);
  });

  it('when dates pass, then what is current changes without any SIS event, both ways', () => {
    const projection = given([
      pupil('ada', { enrolments: [{ enroledAt: { id: schoolUnitUuid(OUR_GR) }, schoolType: 'GR', schoolYear: 6, endDate: '2026-12-20' }] }),
      group('6A', ['ada'], { startDate: '2026-09-05' }),
    ]);
    assert.deepEqual(keys(projection), [`person:${id('ada')}`]);
    assert.deepEqual([...projection.setToday('2026-09-05')], [`group:${id('6A')}`]);
    assert.deepEqual([...projection.setToday('2026-12-21')].sort(), [`group:${id('6A')}`, `person:${id('ada')}`].sort());
    assert.deepEqual([...projection.setToday('2026-09-01')].sort(), [`group:${id('6A')}`, `person:${id('ada')}`].sort());
    assert.deepEqual(keys(projection), [`person:${id('ada')}`]);
  });

  it('given several changes in one applyAll, then the result equals applying them one by one', () => {
    const oneByOne = given(school);
    const batched = given([]);
    const changed = batched.applyAll(school.map((o) => upsert(o)));
    assert.equal(changed.size, 5);
    for (const type of ['person', 'duty', 'group', 'activity'] as const) {
      assert.deepEqual(batched.list(type).map((o) => o.hash).sort(), oneByOne.list(type).map((o) => o.hash).sort());
    }
  });
});
