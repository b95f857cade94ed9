import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import type { ObjectType } from '@provsync/skolverket-api';
import { Reference } from '../src/domain/reference.js';
import { defaultSeed } from '../src/domain/seed.js';
import { ObjectStore } from '../src/domain/store.js';
import { validateObject } from '../src/domain/validation/index.js';
import { activity, duty, group, staff, student, TEST_ACTIVITY, UNIT } from './support/fixtures.js';

const now = new Date('2026-06-01T12:00:00Z');
const reference = new Reference(defaultSeed(now));
const OUR = '2120000001';

function check(type: ObjectType, object: Record<string, any>, store = new ObjectStore()) {
  return validateObject(type, object, { reference, store, organisationNumber: OUR, now });
}
/** `Severity:code:attribute` of each finding. */
const findings = (type: ObjectType, object: Record<string, any>, store?: ObjectStore) =>
  check(type, object, store).problems.map((p) => `${p.severityLevel}:${p.id}:${p.attributeName ?? ''}`);
const stored = (store: ObjectStore, type: ObjectType, object: Record<string, any>) => store.put(type, OUR, check(type, object, store).value, now.toISOString());
const enrolled = (enrolment: Record<string, unknown>) => student({ enrolments: [enrolment] });

describe('Person', () => {
  it('takes a valid student and a valid staff member as they are', () => {
    assert.deepEqual(findings('person', student()), []);
    assert.deepEqual(findings('person', staff()), []);
    const temporary = student({ civicNo: { value: '20100315TF21' } });
    assert.deepEqual(findings('person', temporary), []);
  });

  it('requires id-card attributes and a valid civic number, without repeating it', () => {
    assert.deepEqual(findings('person', student({ givenName: undefined, familyName: '' })), ['Error:3001:givenName', 'Error:3002:familyName']);
    assert.deepEqual(findings('person', student({ civicNo: undefined })), ['Error:3001:civicNo.value']);
    const wrong = check('person', student({ civicNo: { value: '201003151239' } }));
    assert.deepEqual(wrong.problems.map((p) => p.id), ['3010']);
    assert.ok(!JSON.stringify(wrong.problems).includes('201003151239'));
    assert.deepEqual(findings('person', student({ civicNo: { value: '200901272385', nationality: 'NO' } })), ['Error:3004:civicNo.nationality']);
  });

  it('wants exactly one EPPN, well formed, not another person’s, and warns when it holds name parts', () => {
    assert.deepEqual(findings('person', student({ eduPersonPrincipalNames: [] })), ['Error:3020:eduPersonPrincipalNames']);
    assert.deepEqual(findings('person', student({ eduPersonPrincipalNames: ['a@x.se', 'b@x.se'] })), ['Error:3020:eduPersonPrincipalNames']);
    assert.deepEqual(findings('person', student({ eduPersonPrincipalNames: ['no-at-sign'] })), ['Error:3002:eduPersonPrincipalNames[0]']);
    const store = new ObjectStore();
    const first = staff();
    stored(store, 'person', first);
    assert.deepEqual(findings('person', student({ eduPersonPrincipalNames: first.eduPersonPrincipalNames }), store), ['Error:3022:eduPersonPrincipalNames[0]']);
    assert.deepEqual(findings('person', { ...first, givenName: 'Ändrad' }, store), []); // its own EPPN
    assert.deepEqual(findings('person', student({ givenName: 'Kerstin', familyName: 'Johansson', eduPersonPrincipalNames: ['kejo22@edu.x.se'] })), [
      'Warning:3047:eduPersonPrincipalNames[0]',
    ]);
    assert.deepEqual(findings('person', student({ familyName: 'Johansson', eduPersonPrincipalNames: ['xjoh1@edu.x.se'] })), ['Warning:3047:eduPersonPrincipalNames[0]']);
  });

  it('takes only school email types, and requires a staff email of a person who holds a duty', () => {
    assert.deepEqual(findings('person', student({ emails: [{ value: 'a@b.se', type: 'Privat' }] })), ['Error:3004:emails[0].type']);
    assert.deepEqual(findings('person', student({ emails: [{ value: 'a@b.se', type: 'Jobb' }] })), ['Error:3003:emails[0].type']);
    assert.deepEqual(findings('person', student({ emails: [{ value: 'not-an-email', type: 'Skola elev' }] })), ['Error:3002:emails[0].value']);
    const store = new ObjectStore();
    const teacher = staff();
    stored(store, 'person', teacher);
    stored(store, 'duty', duty(teacher.id));
    assert.deepEqual(findings('person', { ...teacher, emails: [{ value: 'a@b.se', type: 'Skola elev' }] }, store), ['Error:3032:emails']);
  });

  it('checks enrolments against the organiser’s school units, school types, years and programmes', () => {
    assert.deepEqual(findings('person', enrolled({ enroledAt: { id: randomUUID() }, schoolType: 'GR', schoolYear: 6 })), ['Error:3040:enrolments[0].enroledAt.id']);
    assert.deepEqual(findings('person', enrolled({ enroledAt: { id: UNIT.grannskolan }, schoolType: 'GR', schoolYear: 6 })), ['Error:3041:enrolments[0].enroledAt.id']);
    assert.deepEqual(findings('person', enrolled({ enroledAt: { id: UNIT.norra }, schoolType: 'SP', schoolYear: 6 })), ['Error:3043:enrolments[0].schoolType']);
    assert.deepEqual(findings('person', enrolled({ enroledAt: { id: UNIT.sodra }, schoolType: 'SP', schoolYear: 10 })), []);
    assert.deepEqual(findings('person', enrolled({ enroledAt: { id: UNIT.norra }, schoolType: 'FS', schoolYear: 6 })), ['Error:3003:enrolments[0].schoolType']);
    assert.deepEqual(findings('person', enrolled({ enroledAt: { id: UNIT.norra }, schoolType: 'GR' })), ['Error:3001:enrolments[0].schoolYear']);
    assert.deepEqual(findings('person', enrolled({ enroledAt: { id: UNIT.norra }, schoolType: 'GR', schoolYear: 10 })), ['Error:3044:enrolments[0].schoolYear']);
    assert.deepEqual(findings('person', enrolled({ enroledAt: { id: UNIT.norra }, schoolType: 'GR', schoolYear: 11 })), ['Error:3002:enrolments[0].schoolYear']);
    assert.deepEqual(findings('person', enrolled({ enroledAt: { id: 'abc' }, schoolType: 'GR', schoolYear: 6 })), ['Error:3002:enrolments[0].enroledAt.id']);
    const gy = (educationCode?: string) => enrolled({ enroledAt: { id: UNIT.gymnasiet }, schoolType: 'GY', ...(educationCode ? { educationCode } : {}) });
    assert.deepEqual(findings('person', gy('NANAT')), []);
    assert.deepEqual(findings('person', gy()), ['Error:3001:enrolments[0].educationCode']);
    assert.deepEqual(findings('person', gy('NOPE')), ['Error:3045:enrolments[0].educationCode']);
    assert.deepEqual(findings('person', gy('ESEST')), ['Error:3046:enrolments[0].educationCode']); // Expired
    assert.deepEqual(findings('person', gy('TEDAT')), ['Error:3046:enrolments[0].educationCode']); // validFrom in the future
  });

  it('takes at most one eduID external identifier', () => {
    const eduid = { value: 'movip-eiral@eduid.se', context: 'https://eduid.se' };
    assert.deepEqual(findings('person', staff({ externalIdentifiers: [eduid] })), []);
    assert.deepEqual(findings('person', staff({ externalIdentifiers: [{ ...eduid, context: 'https://other' }] })), ['Error:3004:externalIdentifiers[0].context']);
    assert.deepEqual(findings('person', staff({ externalIdentifiers: [eduid, eduid] })), ['Error:3004:externalIdentifiers']);
  });

  it('drops Skolverket’s read-only attributes silently and warns of, and does not store, anything else', () => {
    const person = student({ meta: { created: 'x' }, provisioningStatus: true, nickname: 'X' });
    person.enrolments[0].startDate = '2020-08-15';
    const result = check('person', person);
    assert.deepEqual(result.problems.map((p) => `${p.severityLevel}:${p.id}:${p.attributeName}`), ['Warning:3090:enrolments[0].startDate', 'Warning:3090:nickname']);
    const enrolments = result.value.enrolments as Array<Record<string, unknown>>;
    assert.equal('nickname' in result.value || 'meta' in result.value || 'startDate' in enrolments[0]!, false);
  });
});

describe('Duty', () => {
  it('needs its Person stored, with a staff email, at one of the organiser’s school units, with a known role', () => {
    const store = new ObjectStore();
    const teacher = staff();
    const pupil = student();
    stored(store, 'person', teacher);
    stored(store, 'person', pupil);
    assert.deepEqual(findings('duty', duty(teacher.id), store), []);
    assert.deepEqual(findings('duty', duty(randomUUID()), store), ['Error:3060:person.id']);
    assert.deepEqual(findings('duty', duty(pupil.id), store), ['Error:3032:person.id']);
    assert.deepEqual(findings('duty', duty(teacher.id, { dutyRole: 'Vaktmästare' }), store), ['Error:3003:dutyRole']);
    assert.deepEqual(findings('duty', duty(teacher.id, { dutyAt: { id: UNIT.grannskolan } }), store), ['Error:3041:dutyAt.id']);
    assert.deepEqual(findings('duty', duty(teacher.id, { dutyAt: undefined }), store), ['Error:3001:dutyAt.id']);
  });
});

describe('Group', () => {
  it('takes Klass and Undervisning groups at a school unit with that school type', () => {
    assert.deepEqual(findings('group', group([])), []);
    assert.deepEqual(findings('group', group([], { groupType: 'Undervisning' })), []);
    assert.deepEqual(findings('group', group([], { groupType: 'Mentor' })), ['Error:3004:groupType']);
    assert.deepEqual(findings('group', group([], { groupType: 'Lag' })), ['Error:3003:groupType']);
    assert.deepEqual(findings('group', group([], { schoolType: 'GY' })), ['Error:3043:schoolType']);
    assert.deepEqual(findings('group', group([], { schoolType: undefined })), ['Error:3001:schoolType']);
  });

  it('stores a group without its missing members, with a Warning for each', () => {
    const store = new ObjectStore();
    const pupil = student();
    stored(store, 'person', pupil);
    const missing = randomUUID();
    const result = check('group', group([pupil.id, missing, pupil.id]), store);
    assert.deepEqual(result.problems.map((p) => `${p.severityLevel}:${p.id}:${p.attributeValue}`), [`Warning:3071:${missing}`]);
    assert.deepEqual(result.value.groupMemberships, [{ person: { id: pupil.id } }]);
  });
});

describe('Activity', () => {
  const world = () => {
    const store = new ObjectStore();
    const teacher = staff();
    const klass = group([]);
    const teacherDuty = duty(teacher.id);
    stored(store, 'person', teacher);
    stored(store, 'duty', teacherDuty);
    stored(store, 'group', klass);
    return { store, klass, teacherDuty };
  };

  it('takes an Undervisning activity with exactly one stored group, stored teachers and a national-test activity', () => {
    const { store, klass, teacherDuty } = world();
    assert.deepEqual(findings('activity', activity(klass.id, [teacherDuty.id]), store), []);
    assert.deepEqual(findings('activity', activity(klass.id, [], { parentActivity: { id: TEST_ACTIVITY.matmat01a } }), store), []);
    assert.deepEqual(findings('activity', activity(klass.id, [], { activityType: 'Provaktivitet' }), store), ['Error:3004:activityType']);
    assert.deepEqual(findings('activity', activity(klass.id, [], { groups: [{ id: klass.id }, { id: klass.id }] }), store), ['Error:3081:groups']);
    assert.deepEqual(findings('activity', activity(klass.id, [], { groups: [] }), store), ['Error:3081:groups']);
    assert.deepEqual(findings('activity', activity(randomUUID(), []), store), ['Error:3082:groups[0].id']);
    assert.deepEqual(findings('activity', activity(klass.id, [randomUUID()]), store), ['Error:3083:teachers[0].duty.id']);
    assert.deepEqual(findings('activity', activity(klass.id, [], { parentActivity: { id: randomUUID() } }), store), ['Error:3084:parentActivity.id']);
    assert.deepEqual(findings('activity', activity(klass.id, [], { parentActivity: undefined }), store), ['Error:3001:parentActivity.id']);
    assert.deepEqual(findings('activity', activity(klass.id, [], { organisation: { id: UNIT.grannskolan } }), store), ['Error:3041:organisation.id']);
  });
});
