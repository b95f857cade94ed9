import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { Activity } from '@provsync/skolverket-api';

import { activity, duty, given, group, id, OUR_GR, teacher, upsert } from '../../testing/sis-test-builders.js';
import { derivedActivityId, schoolUnitUuid, testActivityUuid } from './uuid-v5.js';

const staff = [teacher('tina'), duty('tina-duty', 'tina'), teacher('tom'), duty('tom-duty', 'tom')];

describe('Activity rules', () => {
  it('given an Undervisning activity with one group, then it keeps the SIS id and refers to its group and teachers', () => {
    const projection = given([...staff, group('6A', []), activity('math6', ['6A'], ['tom-duty', 'tina-duty'], { grader: 1 } as never)]);
    const desired = projection.get('activity', id('math6'));
    const teachers = [id('tina-duty'), id('tom-duty')].sort();
    assert.deepEqual(desired?.body, {
      id: id('math6'),
      displayName: 'math6',
      activityType: 'Undervisning',
      groups: [{ id: id('6A') }],
      teachers: teachers.map((t) => ({ duty: { id: t } })),
      organisation: { id: schoolUnitUuid(OUR_GR) },
      parentActivity: { id: testActivityUuid('GRGRMAT01_6') },
    });
    assert.deepEqual(desired?.refs, [{ type: 'group', id: id('6A') }, ...teachers.map((t) => ({ type: 'duty', id: t }))]);
  });

  it('given a SIS activity with several groups, then one Skolverket activity per group, with stable derived ids', () => {
    const projection = given([group('6A', []), group('6B', []), activity('math6', ['6A', '6B'], [])]);
    const ids = projection.list('activity').map((a) => a.id).sort();
    assert.deepEqual(ids, [derivedActivityId(id('math6'), id('6A')), derivedActivityId(id('math6'), id('6B'))].sort());
    for (const a of projection.list('activity')) assert.equal((a.body as Activity).groups.length, 1);
    const explanation = projection.explain(id('math6'));
    assert.deepEqual(explanation.sentAs.map((s) => s.id).sort(), ids);
  });

  it('given an activity whose group list shrinks from two to one, then the derived ones go and the SIS id comes', () => {
    const projection = given([group('6A', []), group('6B', []), activity('math6', ['6A', '6B'], [])]);
    const changed = projection.apply(upsert(activity('math6', ['6A'], [])));
    assert.deepEqual([...changed].sort(), [
      `activity:${derivedActivityId(id('math6'), id('6A'))}`,
      `activity:${derivedActivityId(id('math6'), id('6B'))}`,
      `activity:${id('math6')}`,
    ].sort());
    assert.deepEqual(projection.list('activity').map((a) => a.id), [id('math6')]);
  });

  it('given an activity type other than Undervisning, then it is not sent', () => {
    const projection = given([group('6A', []), activity('mentor', ['6A'], [], { activityType: 'Elevaktivitet' })]);
    assert.equal(projection.list('activity').length, 0);
    assert.deepEqual(projection.explain(id('mentor')).reasons, ['activityType Elevaktivitet is not sent (only Undervisning)']);
  });

  it('given no national-test parent, or an unknown one, then it is not sent', () => {
    const projection = given([
      group('6A', []),
      activity('none', ['6A'], [], { parentActivity: undefined }),
      activity('unknown', ['6A'], [], { parentActivity: { displayName: 'SVSVE01' } }),
      activity('bad-id', ['6A'], [], { parentActivity: { id: id('not-a-test') } }),
    ]);
    assert.equal(projection.list('activity').length, 0);
    assert.match(projection.explain(id('none')).reasons.join(), /has no parentActivity/);
    assert.match(projection.explain(id('unknown')).reasons.join(), /displayName SVSVE01 is not a national-test activity/);
    assert.match(projection.explain(id('bad-id')).reasons.join(), /parentActivity.id .* is not a national-test activity/);
  });

  it('given parentActivity.id that is a national-test UUID, then it is sent as is', () => {
    const projection = given([group('6A', []), activity('math6', ['6A'], [], { parentActivity: { id: testActivityUuid('MATMAT01a') } })]);
    assert.deepEqual((projection.get('activity', id('math6'))?.body as Activity).parentActivity, { id: testActivityUuid('MATMAT01a') });
  });

  it('given an activity that ended, or whose group is not sendable, then it is not sent', () => {
    const projection = given([
      group('6A', []),
      group('mentors', [], { groupType: 'Mentor' }),
      activity('ended', ['6A'], [], { endDate: '2026-06-01' }),
      activity('mentoring', ['mentors'], []),
      activity('lost', ['nowhere'], []),
    ]);
    assert.equal(projection.list('activity').length, 0);
    assert.match(projection.explain(id('mentoring')).reasons.join(), /group .*: groupType Mentor is not sent/);
    assert.match(projection.explain(id('lost')).reasons.join(), /group .* is not known/);
  });

  it('given teachers, then only current assignments whose duties are sent are teachers', () => {
    const a = activity('math6', ['6A'], ['tina-duty', 'tom-duty', 'gone-duty']);
    a.teachers![1]!.endDate = '2026-08-31';
    const projection = given([...staff, group('6A', []), a]);
    assert.deepEqual((projection.get('activity', id('math6'))?.body as Activity).teachers, [{ duty: { id: id('tina-duty') } }]);
    const notes = projection.explain(id('math6')).notes.join('\n');
    assert.match(notes, /assignment is not current: duties/);
    assert.match(notes, /duty is not sent: duties/);
  });

  it('given a teacher whose duty ends, when that day passes, then the activity loses the teacher', () => {
    const projection = given([...staff.slice(0, 2), group('6A', []), activity('math6', ['6A'], ['tina-duty'])]);
    projection.apply(upsert(duty('tina-duty', 'tina', { endDate: '2026-09-10' })));
    const changed = projection.setToday('2026-09-11');
    assert.deepEqual([...changed].sort(), [`activity:${id('math6')}`, `duty:${id('tina-duty')}`, `person:${id('tina')}`].sort());
    assert.deepEqual((projection.get('activity', id('math6'))?.body as Activity).teachers, []);
  });
});
