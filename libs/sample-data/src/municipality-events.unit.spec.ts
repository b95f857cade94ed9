import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { isCoordinationNumber, isValidCivicNumber } from './civic-number.js';
import { generateMunicipality, municipalityEvents } from './municipality-events.js';
import { GY_PROGRAMMES, NATIONAL_TESTS, SAMPLE_ORGANISER } from './reference-values.js';
import { entityOf } from './sis-event.js';
import { assertContract, assertReferencesResolve } from '../testing/contract-assertions.js';

const today = '2026-09-01';
const sample = generateMunicipality({ seed: 42, today });
const index = assertReferencesResolve(sample.events);

describe('generateMunicipality', () => {
  it('is deterministic: the same seed gives the same events, another seed other ids', () => {
    assert.deepEqual(generateMunicipality({ seed: 42, today }).events, sample.events);
    const other = generateMunicipality({ seed: 43, today }).events;
    assert.equal(other.length > 0, true);
    assert.notEqual(other[0]!.subject, sample.events[0]!.subject);
  });

  it('streams exactly what it collects', () => {
    assert.deepEqual([...municipalityEvents({ seed: 42, today })], sample.events);
  });

  it('passes the envelope contract checks', () => {
    assertContract(sample.events);
    assert.ok(sample.events.every((e) => e.source === 'urn:sis:sample:provsyncs-kommun'));
    assert.equal(sample.events[0]!.sequence, '000000000000000001');
    assert.equal(new Set(sample.events.map((e) => e.subject)).size, sample.events.length);
  });

  it('emits in dependency order: organisations, persons, duties, groups, activities', () => {
    const order = ['organisation', 'person', 'duty', 'group', 'activity'];
    const ranks = sample.events.map((e) => order.indexOf(entityOf(e)));
    assert.deepEqual(ranks, [...ranks].sort((a, b) => a - b));
  });

  it('uses the simulator\'s reference organiser, school units, programmes and tests', () => {
    const organisations = [...index.organisation.values()];
    const organiser = organisations.find((o) => o.organisationType === 'Huvudman')!;
    assert.equal(organiser.organisationNumber, SAMPLE_ORGANISER.organisationNumber);
    assert.equal(organiser.displayName, 'Provsyncs kommun');
    const units = organisations.filter((o) => o.organisationType === 'Skolenhet');
    assert.deepEqual(
      units.map((u) => [u.schoolUnitCode, u.displayName, u.parentOrganisation?.id]),
      [
        ['10000001', 'Norra grundskolan', organiser.id],
        ['10000002', 'Södra grundskolan', organiser.id],
        ['10000003', 'Centrala gymnasiet', organiser.id],
      ],
    );
    const tests = new Set(Object.values(NATIONAL_TESTS).flatMap((list) => list.map((t) => t.code)));
    const used = new Set([...index.activity.values()].map((a) => a.parentActivity.displayName));
    assert.deepEqual(used, tests);
    const codes = new Set([...index.person.values()].flatMap((p) => p.enrolments ?? []).map((e) => e.educationCode));
    assert.deepEqual(new Set([...codes].filter(Boolean)), new Set(GY_PROGRAMMES));
  });

  it('gives every person a unique, valid civic number, one EPPN and a school email', () => {
    const persons = [...index.person.values()];
    assert.ok(persons.every((p) => isValidCivicNumber(p.civicNo.value) && p.civicNo.nationality === 'SE'));
    assert.equal(new Set(persons.map((p) => p.civicNo.value)).size, persons.length);
    assert.ok(persons.filter((p) => isCoordinationNumber(p.civicNo.value)).length >= 3);
    for (const p of persons) {
      assert.deepEqual(p.eduPersonPrincipalNames, [`${p.id}@edu.provsync.example`]);
      assert.equal(p.emails.length, 1);
      assert.equal(p.emails[0]!.type, p.enrolments ? 'Skola elev' : 'Skola personal');
    }
    assert.equal(new Set(persons.map((p) => p.emails[0]!.value)).size, persons.length);
  });

  it('gives pupils one current enrolment that Skolverket accepts, and birth dates that fit their year', () => {
    const pupils = [...index.person.values()].filter((p) => p.enrolments);
    assert.equal(pupils.length, 2_000);
    for (const pupil of pupils) {
      const [e, ...rest] = pupil.enrolments!;
      assert.equal(rest.length, 0);
      assert.ok(e!.startDate! < today && e!.endDate === undefined);
      if (e!.schoolType === 'GY') assert.ok(GY_PROGRAMMES.includes(e!.educationCode as never));
      else assert.ok(e!.schoolYear! >= 1 && e!.schoolYear! <= 10);
      const ageThisYear = 2026 - Number(pupil.civicNo.value.slice(0, 4));
      const expected = e!.schoolType === 'GY' ? e!.schoolYear! + 15 : e!.schoolYear! + 6;
      assert.equal(ageThisYear, expected);
    }
  });

  it('gives staff one or two current duties, with teachers and a principal at every school', () => {
    const duties = [...index.duty.values()];
    const perPerson = new Map<string, number>();
    for (const d of duties) perPerson.set(d.person.id, (perPerson.get(d.person.id) ?? 0) + 1);
    assert.ok([...perPerson.values()].every((n) => n === 1 || n === 2));
    assert.ok([...perPerson.values()].some((n) => n === 2));
    assert.ok(duties.every((d) => d.startDate! < today && d.endDate === undefined));
    for (const unit of [...index.organisation.values()].filter((o) => o.schoolUnitCode)) {
      const roles = new Set(duties.filter((d) => d.dutyAt.id === unit.id).map((d) => d.dutyRole));
      assert.deepEqual(roles, new Set(['Rektor', 'Lärare', 'Annan personal']));
    }
  });

  it('puts every pupil in exactly one Klass of about 25, and only sendable group types', () => {
    const groups = [...index.group.values()];
    assert.ok(groups.every((g) => g.groupType === 'Klass' || g.groupType === 'Undervisning'));
    const classes = groups.filter((g) => g.groupType === 'Klass');
    const members = classes.flatMap((g) => g.groupMemberships.map((m) => m.person.id));
    assert.equal(members.length, 2_000);
    assert.equal(new Set(members).size, 2_000);
    assert.ok(classes.every((g) => g.groupMemberships.length <= 25 && g.startDate! < today));
    assert.ok(groups.every((g) => g.groupMemberships.every((m) => m.startDate! < today && !m.endDate)));
  });

  it('links each teaching group to one activity with one or two Lärare duties at its school', () => {
    const teaching = [...index.group.values()].filter((g) => g.groupType === 'Undervisning');
    const activities = [...index.activity.values()];
    assert.equal(activities.length, teaching.length);
    assert.deepEqual(new Set(activities.map((a) => a.groups[0]!.id)), new Set(teaching.map((g) => g.id)));
    for (const a of activities) {
      assert.equal(a.activityType, 'Undervisning');
      assert.equal(a.groups.length, 1);
      assert.ok(a.teachers.length === 1 || a.teachers.length === 2);
      assert.equal(new Set(a.teachers.map((t) => t.duty.id)).size, a.teachers.length);
      for (const t of a.teachers) {
        const duty = index.duty.get(t.duty.id)!;
        assert.equal(duty.dutyRole, 'Lärare');
        assert.equal(duty.dutyAt.id, a.organisation.id);
      }
      assert.equal(index.group.get(a.groups[0]!.id)!.organisation.id, a.organisation.id);
    }
    assert.ok(activities.some((a) => a.teachers.length === 2));
  });

  it('adds no invalid cases unless asked', () => {
    const persons = [...index.person.values()];
    assert.ok(persons.every((p) => p.emails.every((e) => e.type === 'Skola elev' || e.type === 'Skola personal')));
    assert.ok(persons.every((p) => (p.enrolments ?? []).every((e) => (e.schoolYear ?? 1) <= 10)));
  });
});
