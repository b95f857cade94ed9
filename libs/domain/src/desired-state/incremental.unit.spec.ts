import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { SisEntity } from '../sis/sis-change.js';
import { DesiredStateProjection } from './desired-state-projection.js';
import {
  activity,
  duty,
  group,
  id,
  pupil,
  reference,
  schoolUnitOrg,
  teacher,
  TODAY,
  upsert,
} from '../../testing/sis-test-builders.js';
import { schoolUnitUuid } from './uuid-v5.js';

/** A municipality: `units` GR school units, each with 4 classes of 20 pupils, a maths group and activity per class, 4 teachers. */
function municipality(units: number) {
  const codes = Array.from({ length: units }, (_, u) => String(30_000_000 + u));
  const objects: { id: string }[] = codes.map((code) => schoolUnitOrg(code));
  for (const code of codes) {
    const at = { id: id(`org-${code}`) };
    for (let c = 0; c < 4; c++) {
      const names = Array.from({ length: 20 }, (_, p) => `${code}-pupil-${c}-${p}`);
      const enrolment = { enroledAt: at, schoolType: 'GR', schoolYear: 6, startDate: '2020-08-15' };
      objects.push(...names.map((n) => pupil(n, { enrolments: [enrolment] })));
      objects.push(teacher(`${code}-teacher-${c}`), duty(`${code}-duty-${c}`, `${code}-teacher-${c}`, { dutyAt: at }));
      objects.push(group(`${code}-class-${c}`, names, { organisation: at }));
      objects.push(group(`${code}-maths-${c}`, names, { organisation: at, groupType: 'Undervisning' }));
      objects.push(activity(`${code}-maths-${c}`, [`${code}-maths-${c}`], [`${code}-duty-${c}`], { organisation: at }));
    }
  }
  const ref = reference({
    schoolUnits: codes.map((code) => ({
      id: schoolUnitUuid(code),
      displayName: code,
      schoolUnitCode: code,
      schoolTypes: [{ schoolType: 'GR', schoolYears: [6, 7].map((schoolYear) => ({ schoolYear })) }],
    })),
  });
  const evaluated: string[] = [];
  const projection = new DesiredStateProjection(ref, TODAY, {
    onEvaluate: (entity: SisEntity, sisId: string) => evaluated.push(`${entity}:${sisId}`),
  });
  for (const o of objects) projection.apply(upsert(o));
  const replayEvaluations = evaluated.length;
  evaluated.length = 0;
  return { projection, evaluated, objects: objects.length, replayEvaluations, code: codes[0]! };
}

describe('Incremental re-evaluation', () => {
  it('given a municipality of ~300 entities, when a pupil moves to year 7, then only that pupil is evaluated', () => {
    const { projection, evaluated, objects, code } = municipality(3);
    assert.ok(objects >= 300, `${objects} entities`);
    const name = `${code}-pupil-0-0`;
    const changed = projection.apply(
      upsert(pupil(name, { enrolments: [{ enroledAt: { id: id(`org-${code}`) }, schoolType: 'GR', schoolYear: 7 }] })),
    );
    assert.deepEqual(evaluated, [`person:${id(name)}`]);
    assert.deepEqual([...changed], [`person:${id(name)}`]);
  });

  it('when a pupil’s enrolment ends, then the pupil and the groups that contain them are evaluated, nothing else', () => {
    const { projection, evaluated, code } = municipality(3);
    const name = `${code}-pupil-1-3`;
    const ended = { enroledAt: { id: id(`org-${code}`) }, schoolType: 'GR', schoolYear: 6, endDate: '2026-08-31' };
    const changed = projection.apply(upsert(pupil(name, { enrolments: [ended] })));
    const expected = [`person:${id(name)}`, `group:${id(`${code}-class-1`)}`, `group:${id(`${code}-maths-1`)}`];
    assert.deepEqual(evaluated.sort(), expected.sort());
    assert.deepEqual([...changed].sort(), expected.sort());
  });

  it('when a teacher’s duty ends, then the duty, the teacher and the teacher’s activities are evaluated', () => {
    const { projection, evaluated, code } = municipality(3);
    const changed = projection.apply(upsert(duty(`${code}-duty-2`, `${code}-teacher-2`, { dutyAt: { id: id(`org-${code}`) }, endDate: '2026-08-01' })));
    const expected = [`duty:${id(`${code}-duty-2`)}`, `person:${id(`${code}-teacher-2`)}`, `activity:${id(`${code}-maths-2`)}`];
    assert.deepEqual(evaluated.sort(), expected.sort());
    assert.deepEqual([...changed].sort(), expected.sort());
  });

  it('when one school unit’s organisation loses its code, then only what is at that unit is evaluated', () => {
    const { projection, evaluated, code } = municipality(3);
    projection.apply(upsert(schoolUnitOrg(code, { schoolUnitCode: undefined })));
    assert.equal(evaluated.length, 80 + 4 + 4 + 4 + 8, 'pupils, duties, their teachers, activities, groups of one unit');
    assert.equal(projection.list('person').length, 2 * 84);
    assert.equal(projection.list('group').length, 16);
  });

  it('given municipalities of 1 and 8 school units, then replay costs grow linearly and one change costs the same', () => {
    const small = municipality(1);
    const large = municipality(8);
    assert.equal(large.replayEvaluations / large.objects, small.replayEvaluations / small.objects);
    for (const m of [small, large]) {
      m.projection.apply(upsert(pupil(`${m.code}-pupil-0-0`, { enrolments: [] })));
    }
    assert.equal(large.evaluated.length, small.evaluated.length);
  });

  it('when a day passes on which nothing starts or ends, then nothing is evaluated', () => {
    const { projection, evaluated } = municipality(2);
    assert.deepEqual([...projection.setToday('2026-09-02')], []);
    assert.deepEqual(evaluated, []);
  });
});
