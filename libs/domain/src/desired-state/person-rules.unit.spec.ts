import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { Person } from '@provsync/skolverket-api';

import { explanationText } from './explain.js';
import { civicNo, duty, given, id, OUR_GR, pupil, teacher, upsert } from '../../testing/sis-test-builders.js';
import { schoolUnitUuid } from './uuid-v5.js';

const personBody = (p: ReturnType<typeof given>, name: string) => p.get('person', id(name))?.body as Person | undefined;

describe('Person rules', () => {
  it('given a pupil with a current enrolment, then only the listed fields are sent (unknown attributes dropped)', () => {
    const sis = { ...pupil('ada'), middleName: 'Mitt', securityMarking: 'Ingen', shoeSize: 38, addresses: [{ street: 'x' }] };
    const projection = given([sis]);
    assert.deepEqual(personBody(projection, 'ada'), {
      id: id('ada'),
      civicNo: { value: civicNo('20140321'), nationality: 'SE' },
      givenName: 'Elev',
      middleName: 'Mitt',
      familyName: 'Elevsson',
      eduPersonPrincipalNames: ['ada@edu.kommun.se'],
      emails: [{ value: 'ada@elev.kommun.se', type: 'Skola elev' }],
      securityMarking: 'Ingen',
      enrolments: [{ enroledAt: { id: schoolUnitUuid(OUR_GR) }, schoolType: 'GR', schoolYear: 6, cancelled: false }],
    });
    assert.deepEqual(projection.get('person', id('ada'))?.refs, []);
  });

  it('given a person with neither enrolment nor duty, then it is not sent, and explain says why', () => {
    const projection = given([pupil('ada', { enrolments: [] })]);
    assert.equal(personBody(projection, 'ada'), undefined);
    assert.deepEqual(projection.explain(id('ada')).reasons, ['has no current sendable enrolment or duty']);
  });

  it('given an invalid civicNo, then the person is not sent and the reason never shows the number', () => {
    const bad = '201403211230';
    const projection = given([pupil('ada', { civicNo: { value: bad } })]);
    assert.equal(personBody(projection, 'ada'), undefined);
    const text = explanationText(projection.explain(id('ada')));
    assert.match(text, /check digit/);
    assert.ok(!text.includes(bad));
  });

  it('given a samordningsnummer or a temporary number, then the person is sent', () => {
    const projection = given([
      pupil('ada', { civicNo: { value: civicNo('20140381') } }),
      pupil('bo', { civicNo: { value: '20140321TF13' } }),
    ]);
    assert.ok(personBody(projection, 'ada'));
    assert.ok(personBody(projection, 'bo'));
  });

  it('given a civicNo of another nationality, then the person is not sent', () => {
    const projection = given([pupil('ada', { civicNo: { value: civicNo('20140321'), nationality: 'NO' } })]);
    assert.match(projection.explain(id('ada')).reasons.join(), /nationality/);
  });

  it('given zero or two EPPNs, then the person is not sent; exactly one is required', () => {
    const projection = given([
      pupil('ada', { eduPersonPrincipalNames: [] }),
      pupil('bo', { eduPersonPrincipalNames: ['a@x.se', 'b@x.se'] }),
    ]);
    assert.equal(personBody(projection, 'ada'), undefined);
    assert.equal(personBody(projection, 'bo'), undefined);
    assert.deepEqual(projection.explain(id('bo')).reasons, ['has 2 eduPersonPrincipalNames; exactly one is required']);
  });

  it('given emails of several types, then only Skola elev and Skola personal are sent', () => {
    const emails = [
      { value: 'a@privat.se', type: 'Privat' },
      { value: 'a@elev.se', type: 'Skola elev' },
      { value: 'a@jobb.se', type: 'Arbete övrigt' },
      { value: 'a@none.se' },
    ];
    const projection = given([pupil('ada', { emails })]);
    assert.deepEqual(personBody(projection, 'ada')?.emails, [{ value: 'a@elev.se', type: 'Skola elev' }]);
    assert.match(projection.explain(id('ada')).notes.join(), /Privat, Arbete övrigt, \(no type\) are left out/);
  });

  it('given a securityMarking, then it is sent; given an unknown one, then the person is not sent', () => {
    const projection = given([
      pupil('ada', { securityMarking: 'Skyddad folkbokföring' }),
      pupil('bo', { securityMarking: 'Hemlig' }),
    ]);
    assert.equal(personBody(projection, 'ada')?.securityMarking, 'Skyddad folkbokföring');
    assert.equal(personBody(projection, 'bo'), undefined);
  });

  it('given a teacher with a current duty, then the teacher is sent without enrolments', () => {
    const projection = given([teacher('tina', { enrolments: [] }), duty('tina-duty', 'tina')]);
    const body = personBody(projection, 'tina');
    assert.ok(body);
    assert.equal(body.enrolments, undefined);
  });

  it('given a staff member without a Skola personal email, then neither they nor their duties are sent', () => {
    const projection = given([teacher('tina', { emails: [{ value: 't@x.se', type: 'Privat' }] }), duty('tina-duty', 'tina')]);
    assert.equal(personBody(projection, 'tina'), undefined);
    assert.equal(projection.get('duty', id('tina-duty')), undefined);
    assert.match(explanationText(projection.explain(id('tina'))), /not sent: staff member has no email address of type 'Skola personal'/);
    assert.match(explanationText(projection.explain(id('tina-duty'))), /not sent: staff member has no email address of type 'Skola personal'/);
  });

  it('given a civicNo whose birth date is after today, then the person is not sent until that day, and explain says why', () => {
    const born = '2026-09-03';
    const projection = given([pupil('ada', { civicNo: { value: civicNo('20260903') } })], { today: '2026-09-01' });
    assert.equal(personBody(projection, 'ada'), undefined);
    assert.match(explanationText(projection.explain(id('ada'))), /civicNo gives a birth date in the future/);
    assert.deepEqual([...projection.setToday(born)], [`person:${id('ada')}`], 'the birth date is a day the decision flips on');
    assert.ok(personBody(projection, 'ada'));
  });

  it("given an EPPN without '@' and a domain, then the person is not sent (Skolverket would refuse it), and explain says why", () => {
    const projection = given([pupil('ada', { eduPersonPrincipalNames: ['ada.edu.kommun.se'] }), pupil('bo', { eduPersonPrincipalNames: ['bo@kommun'] })]);
    assert.equal(personBody(projection, 'ada'), undefined);
    assert.equal(personBody(projection, 'bo'), undefined);
    const text = explanationText(projection.explain(id('ada')));
    assert.match(text, /eduPersonPrincipalNames\[0\] is not a local identifier, an '@' and a domain/);
    assert.ok(!text.includes('ada.edu.kommun.se'), 'the value itself is not repeated');
  });

  it("given an email without '@', then that address is left out, the person is still sent, and explain says so", () => {
    const emails = [{ value: 'ada.elev.kommun.se', type: 'Skola elev' }, { value: 'ada@elev.kommun.se', type: 'Skola elev' }];
    const projection = given([pupil('ada', { emails })]);
    assert.deepEqual(personBody(projection, 'ada')?.emails, [{ value: 'ada@elev.kommun.se', type: 'Skola elev' }]);
    assert.match(projection.explain(id('ada')).notes.join(), /emails\[0\] is left out: not an address with a local part, an '@' and a domain/);
  });

  it("given a staff member whose only Skola personal email has no '@', then neither they nor their duties are sent", () => {
    const projection = given([teacher('tina', { emails: [{ value: 'tina', type: 'Skola personal' }] }), duty('tina-duty', 'tina')]);
    assert.equal(personBody(projection, 'tina'), undefined);
    assert.equal(projection.get('duty', id('tina-duty')), undefined);
    assert.match(explanationText(projection.explain(id('tina-duty'))), /no email address of type 'Skola personal'/);
  });

  it('given externalIdentifiers, then staff send at most one eduID identifier and pupils none', () => {
    const eduId = { value: 'tina@eduid.se', context: 'https://eduid.se' };
    const other = { value: 'tina@idp.se', context: 'https://idp.kommun.se' };
    const projection = given([
      teacher('tina', { externalIdentifiers: [other, eduId] }),
      duty('tina-duty', 'tina'),
      teacher('tom', { externalIdentifiers: [eduId, { value: 'tom2@eduid.se', context: 'https://eduid.se' }] }),
      duty('tom-duty', 'tom'),
      pupil('ada', { externalIdentifiers: [eduId] }),
    ]);
    assert.deepEqual(personBody(projection, 'tina')?.externalIdentifiers, [
      { value: 'tina@eduid.se', context: 'https://eduid.se', globallyUnique: true },
    ]);
    assert.equal(personBody(projection, 'tom')?.externalIdentifiers, undefined);
    assert.equal(personBody(projection, 'ada')?.externalIdentifiers, undefined);
    assert.match(projection.explain(id('ada')).notes.join(), /staff only/);
  });

  it('given a pupil who is sent, when the pupil is deleted in the SIS, then the person disappears', () => {
    const projection = given([pupil('ada')]);
    const changed = projection.apply({ ...upsert(pupil('ada')), action: 'deleted', data: null });
    assert.deepEqual([...changed], [`person:${id('ada')}`]);
    assert.equal(personBody(projection, 'ada'), undefined);
  });
});
