import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { OBJECT_TYPES } from '@provsync/skolverket-api';
import { activity, duty, group, id, pupil, reference, remove, schoolUnitOrg, teacher, TODAY, upsert } from '../../testing/sis-test-builders.js';
import { DesiredStateProjection } from './desired-state-projection.js';
import { schoolUnitUuid } from './uuid-v5.js';

const CODE = '30000000';
const AT = { id: id(`org-${CODE}`) };
const enrolment = (schoolYear: number) => ({ enroledAt: AT, schoolType: 'GR', schoolYear, startDate: '2020-08-15' });

function municipality(): DesiredStateProjection {
  const projection = new DesiredStateProjection(
    reference({
      schoolUnits: [{ id: schoolUnitUuid(CODE), displayName: CODE, schoolUnitCode: CODE, schoolTypes: [{ schoolType: 'GR', schoolYears: [{ schoolYear: 6 }, { schoolYear: 9 }] }] }],
    }),
    TODAY,
  );
  const names = Array.from({ length: 40 }, (_, p) => `pupil-${p}`);
  const objects: { id: string }[] = [schoolUnitOrg(CODE), ...names.map((n) => pupil(n, { enrolments: [enrolment(6)] }))];
  objects.push(teacher('teacher'), duty('duty', 'teacher', { dutyAt: AT, endDate: '2026-10-01' }));
  // A big group (its members held as a Set), a small one, and an activity using one of them.
  objects.push(group('class', names, { organisation: AT }), group('maths', names.slice(0, 3), { organisation: AT, groupType: 'Undervisning' }));
  objects.push(activity('maths', ['maths'], ['duty'], { organisation: AT }));
  projection.applyAll(objects.map((o) => upsert(o)));
  return projection;
}

/** Every desired object as the sync sees it: hash, refs, size and the body the rules make now. */
function everything(projection: DesiredStateProjection) {
  return OBJECT_TYPES.flatMap((type) =>
    [...projection.values(type)].map((o) => ({ type, id: o.id, hash: o.hash, refs: o.refs, bytes: o.bytes, body: o.body })),
  );
}

describe('the projection exported and taken up again (persisted read model snapshot)', () => {
  it('answers as the projection it came from, through a structured clone, and goes on to the same results', () => {
    const original = municipality();
    const restored = DesiredStateProjection.fromState(structuredClone(original.exportState()));
    assert.ok(everything(original).length > 40);
    assert.deepEqual(everything(restored), everything(original));
    for (const name of ['pupil-0', 'class', 'maths', 'duty', 'teacher']) assert.deepEqual(restored.explain(id(name)), original.explain(id(name)));

    // The same changes to both: a pupil moves on, a group loses a member, the teacher's duty ends as days pass.
    const changes = [
      upsert(pupil('pupil-1', { enrolments: [enrolment(9)] })),
      upsert(group('maths', ['pupil-0', 'pupil-2'], { organisation: AT, groupType: 'Undervisning' })),
      remove('person', id('pupil-39')),
    ];
    assert.deepEqual([...restored.applyAll(changes)].sort(), [...original.applyAll(changes)].sort());
    const later = '2026-10-02';
    const flipped = original.setToday(later);
    assert.ok(flipped.size > 0, 'the duty ends by date');
    assert.deepEqual([...restored.setToday(later)].sort(), [...flipped].sort());
    assert.deepEqual(everything(restored), everything(original));
  });
});
