import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { Group } from '@provsync/skolverket-api';

import { activity, duty, given, group, id, OTHER_ORGANISERS, OUR_GR, pupil, teacher, upsert } from '../../testing/sis-test-builders.js';
import { schoolUnitUuid } from './uuid-v5.js';

const members = (body: unknown) => (body as Group).groupMemberships?.map((m) => m.person?.id);

describe('Group rules', () => {
  it('given a current Klass group with no members, then it is sent with an empty member list', () => {
    const projection = given([group('6A', [], { extra: 1 } as never)]);
    assert.deepEqual(projection.get('group', id('6A'))?.body, {
      id: id('6A'),
      displayName: '6A',
      groupType: 'Klass',
      schoolType: 'GR',
      organisation: { id: schoolUnitUuid(OUR_GR) },
      groupMemberships: [],
    });
  });

  it('given members, then only current memberships of persons that are sent are members, and each is a ref', () => {
    const g = group('6A', ['ada', 'bo', 'cy', 'unknown']);
    g.groupMemberships![1]!.endDate = '2026-08-20';
    const projection = given([pupil('ada'), pupil('bo'), pupil('cy', { enrolments: [] }), g]);
    const desired = projection.get('group', id('6A'));
    assert.deepEqual(members(desired?.body), [id('ada')]);
    assert.deepEqual(desired?.refs, [{ type: 'person', id: id('ada') }]);
    const notes = projection.explain(id('6A')).notes.join('\n');
    assert.match(notes, new RegExp(`not current: persons ${id('bo')}`));
    assert.match(notes, new RegExp(`person is not sent: persons ${id('cy')}, ${id('unknown')}`));
  });

  it('given a member who stops being sent, then the group is updated without them', () => {
    const projection = given([pupil('ada'), group('6A', ['ada'])]);
    const changed = projection.apply(upsert(pupil('ada', { enrolments: [] })));
    assert.deepEqual([...changed].sort(), [`group:${id('6A')}`, `person:${id('ada')}`].sort());
    assert.deepEqual(members(projection.get('group', id('6A'))?.body), []);
  });

  it('given a group type other than Klass or Undervisning, then it is not sent', () => {
    const projection = given([group('mentors', [], { groupType: 'Mentor' })]);
    assert.equal(projection.get('group', id('mentors')), undefined);
    assert.deepEqual(projection.explain(id('mentors')).reasons, ['groupType Mentor is not sent (only Klass and Undervisning)']);
  });

  it('given a group that ended, at another organiser, or without a school type, then it is not sent', () => {
    const projection = given([
      group('old', [], { endDate: '2026-06-15' }),
      group('theirs', [], { organisation: { id: id(`org-${OTHER_ORGANISERS}`) } }),
      group('untyped', [], { schoolType: undefined }),
    ]);
    assert.equal(projection.list('group').length, 0);
    assert.match(projection.explain(id('untyped')).reasons.join(), /schoolType is missing/);
  });

  it('given an Undervisning group, then it is sent only while an activity that is sent uses it', () => {
    const projection = given([teacher('tina'), duty('tina-duty', 'tina'), group('ma6', [], { groupType: 'Undervisning' })]);
    assert.equal(projection.get('group', id('ma6')), undefined);
    assert.match(projection.explain(id('ma6')).reasons.join(), /only when an activity that is sent uses it/);

    const added = projection.apply(upsert(activity('math6', ['ma6'], ['tina-duty'])));
    assert.deepEqual([...added].sort(), [`activity:${id('math6')}`, `group:${id('ma6')}`].sort());

    const removed = projection.apply(upsert(activity('math6', ['ma6'], ['tina-duty'], { parentActivity: undefined })));
    assert.deepEqual([...removed].sort(), [`activity:${id('math6')}`, `group:${id('ma6')}`].sort());
    assert.equal(projection.get('group', id('ma6')), undefined);
  });

  it('given a group, when it is deleted in the SIS, then it and the activity using it disappear', () => {
    const projection = given([group('6A', []), activity('math6', ['6A'], [])]);
    assert.ok(projection.get('activity', id('math6')));
    const changed = projection.apply({ ...upsert(group('6A', [])), action: 'deleted', data: null });
    assert.deepEqual([...changed].sort(), [`activity:${id('math6')}`, `group:${id('6A')}`].sort());
  });
});
