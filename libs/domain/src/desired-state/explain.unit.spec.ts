import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { explanationText } from './explain.js';
import { activity, civicNo, duty, given, group, id, OTHER_ORGANISERS, OUR_GR, pupil, teacher } from '../../testing/sis-test-builders.js';
import { derivedActivityId, schoolUnitUuid } from './uuid-v5.js';

describe('explain', () => {
  it('given a sent pupil, then it says sent as which Skolverket object', () => {
    const e = given([pupil('ada')]).explain(id('ada'));
    assert.deepEqual({ sent: e.sent, entity: e.entity, sentAs: e.sentAs }, { sent: true, entity: 'person', sentAs: [{ type: 'person', id: id('ada') }] });
    assert.equal(explanationText(e), `person ${id('ada')}: sent as person ${id('ada')}`);
  });

  it('given a pupil whose only enrolment breaks a rule, then every reason is given in plain words', () => {
    const e = given([pupil('ada', { enrolments: [{ enroledAt: { id: id(`org-${OUR_GR}`) }, schoolType: 'GR', schoolYear: 11, cancelled: true }] })]).explain(id('ada'));
    const text = explanationText(e);
    assert.match(text, /not sent: has no current sendable enrolment or duty/);
    assert.match(text, /enrolment 1 not sent: it is cancelled; school year 11 is outside 1–10/);
  });

  it('given an activity with two groups of which one is not sendable, then it lists the derived activity sent and why the other is not', () => {
    const projection = given([group('6A', []), group('mentors', [], { groupType: 'Mentor' }), activity('math6', ['6A', 'mentors'], [])]);
    const e = projection.explain(id('math6'));
    assert.equal(e.sent, true);
    assert.deepEqual(e.sentAs, [{ type: 'activity', id: derivedActivityId(id('math6'), id('6A')) }]);
    assert.deepEqual(e.reasons, [
      `for group ${id('mentors')} (Skolverket activity ${derivedActivityId(id('math6'), id('mentors'))}): group ${id('mentors')}: groupType Mentor is not sent (only Klass and Undervisning)`,
    ]);
  });

  it('given an organisation, then it says which school unit it is, or why it is none of ours', () => {
    const projection = given([pupil('ada')]);
    const ours = projection.explain(id(`org-${OUR_GR}`));
    assert.equal(ours.entity, 'organisation');
    assert.match(ours.notes.join(), new RegExp(`school unit 11111111 \\(Skolverket id ${schoolUnitUuid(OUR_GR)}\\)`));
    assert.match(ours.notes.join(), /1 SIS objects refer to it/);
    assert.match(projection.explain(id(`org-${OTHER_ORGANISERS}`)).reasons.join(), /is not one of the organiser's school units/);
  });

  it('given an id no SIS object has, then it says so', () => {
    const e = given([]).explain(id('nobody'));
    assert.equal(e.entity, undefined);
    assert.match(explanationText(e), /no SIS object with this id is held/);
  });

  it('given persons with personal data and problems, then no explanation contains civicNo, names or emails', () => {
    const secretCivicNo = civicNo('20140321', '987');
    const ada = pupil('ada', {
      civicNo: { value: secretCivicNo.slice(0, 11) + ((Number(secretCivicNo[11]) + 1) % 10) },
      givenName: 'Hemligfornamn',
      familyName: 'Hemligefternamn',
      emails: [{ value: 'hemlig@privat.se', type: 'Privat' }],
      eduPersonPrincipalNames: ['x@a.se', 'y@a.se'],
    });
    const tina = teacher('tina', { givenName: 'Hemligfornamn', emails: [{ value: 'hemlig@privat.se', type: 'Privat' }] });
    const projection = given([ada, tina, duty('tina-duty', 'tina'), group('6A', ['ada']), activity('math6', ['6A'], ['tina-duty'])]);
    for (const sisId of [id('ada'), id('tina'), id('tina-duty'), id('6A'), id('math6')]) {
      const text = explanationText(projection.explain(sisId));
      for (const secret of [secretCivicNo.slice(0, 11), 'Hemlig', 'hemlig@', 'x@a.se']) assert.ok(!text.includes(secret), `${sisId}: ${text}`);
    }
  });
});
