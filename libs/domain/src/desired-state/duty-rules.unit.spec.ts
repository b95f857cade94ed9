import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { duty, given, id, OTHER_ORGANISERS, OUR_GR, teacher, upsert } from '../../testing/sis-test-builders.js';
import { schoolUnitUuid } from './uuid-v5.js';

describe('Duty rules', () => {
  it('given a current duty at our school unit with a known role, then it is sent and refers to its person', () => {
    const projection = given([teacher('tina'), duty('tina-duty', 'tina', { grader: true, title: 'x' } as never)]);
    const desired = projection.get('duty', id('tina-duty'));
    assert.deepEqual(desired?.body, {
      id: id('tina-duty'),
      person: { id: id('tina') },
      dutyAt: { id: schoolUnitUuid(OUR_GR) },
      dutyRole: 'Lärare',
    });
    assert.deepEqual(desired?.refs, [{ type: 'person', id: id('tina') }]);
  });

  it('given a duty that ended or has not started, then neither it nor its person is sent', () => {
    const projection = given([
      teacher('tina'),
      duty('ended', 'tina', { endDate: '2026-06-30' }),
      duty('later', 'tina', { startDate: '2026-12-01' }),
    ]);
    assert.equal(projection.get('duty', id('ended')), undefined);
    assert.equal(projection.get('duty', id('later')), undefined);
    assert.equal(projection.get('person', id('tina')), undefined);
    assert.match(projection.explain(id('ended')).reasons.join(), /it has ended/);
  });

  it('given a dutyRole outside the OpenAPI enum, then the duty is not sent', () => {
    const projection = given([teacher('tina'), duty('tina-duty', 'tina', { dutyRole: 'Vaktmästare' })]);
    assert.equal(projection.get('duty', id('tina-duty')), undefined);
    assert.deepEqual(projection.explain(id('tina-duty')).reasons, ["dutyRole Vaktmästare is not one of Skolverket's duty roles"]);
  });

  it('given a duty at another organiser’s school unit or an unknown organisation, then it is not sent', () => {
    const projection = given([
      teacher('tina'),
      duty('other', 'tina', { dutyAt: { id: id(`org-${OTHER_ORGANISERS}`) } }),
      duty('unknown', 'tina', { dutyAt: { id: id('nowhere') } }),
    ]);
    assert.equal(projection.list('duty').length, 0);
    assert.match(projection.explain(id('unknown')).reasons.join(), /organisation .* is unknown/);
  });

  it('given a duty whose person is not known yet, when the person arrives, then both are sent', () => {
    const projection = given([duty('tina-duty', 'tina')]);
    assert.match(projection.explain(id('tina-duty')).reasons.join(), /person .* is not known/);
    const changed = projection.apply(upsert(teacher('tina')));
    assert.deepEqual([...changed].sort(), [`duty:${id('tina-duty')}`, `person:${id('tina')}`].sort());
  });

  it('given a teacher with one duty, when the duty is deleted, then the duty and the teacher disappear', () => {
    const projection = given([teacher('tina'), duty('tina-duty', 'tina')]);
    const changed = projection.apply({ ...upsert(duty('tina-duty', 'tina')), action: 'deleted', data: null });
    assert.deepEqual([...changed].sort(), [`duty:${id('tina-duty')}`, `person:${id('tina')}`].sort());
    assert.equal(projection.list('person').length, 0);
  });
});
