import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { generateMunicipality, summarizeMunicipality } from './municipality-events.js';
import type { AnySisEvent } from './sis-event.js';
import type { EntityCounts } from './summary.js';
import { assertContract, assertReferencesResolve } from '../testing/contract-assertions.js';

const today = '2026-03-10';
const SENDABLE_SCHOOL_TYPES = new Set(['GR', 'SP', 'SAM', 'GY', 'VUXGY']);
const current = (x: { startDate?: string; endDate?: string }) =>
  (x.startDate === undefined || x.startDate <= today) && (x.endDate === undefined || x.endDate >= today);

/** An independent, simplified reading of provisioning-rules.md, applied to the events themselves. */
function recountExpected(events: readonly AnySisEvent[]): EntityCounts {
  const index = assertReferencesResolve(events);
  const sendableEnrolment = (e: NonNullable<ReturnType<typeof index.person.get>>['enrolments']) =>
    (e ?? []).some(
      (x) =>
        current(x) &&
        SENDABLE_SCHOOL_TYPES.has(x.schoolType) &&
        (x.schoolType === 'GY' ? Boolean(x.educationCode) : (x.schoolYear ?? 0) >= 1 && (x.schoolYear ?? 0) <= 10),
    );
  const staffCanBeSent = (id: string) => index.person.get(id)!.emails.some((e) => e.type === 'Skola personal');
  const duties = [...index.duty.values()].filter((d) => current(d) && staffCanBeSent(d.person.id));
  const dutyIds = new Set(duties.map((d) => d.id));
  const persons = [...index.person.values()].filter(
    (p) => sendableEnrolment(p.enrolments) || duties.some((d) => d.person.id === p.id),
  );
  const activities = [...index.activity.values()].filter(
    (a) => a.activityType === 'Undervisning' && a.parentActivity.displayName && a.teachers.some((t) => dutyIds.has(t.duty.id)),
  );
  const used = new Set(activities.flatMap((a) => a.groups.map((g) => g.id)));
  const groups = [...index.group.values()].filter(
    (g) => current(g) && (g.groupType === 'Klass' || (g.groupType === 'Undervisning' && used.has(g.id))),
  );
  return { persons: persons.length, duties: duties.length, groups: groups.length, activities: activities.length };
}

describe('summary', () => {
  for (const includeInvalid of [false, true]) {
    it(`expects what a recount of the events finds (includeInvalid: ${includeInvalid})`, () => {
      const { events, summary } = generateMunicipality({ seed: 5, today, pupils: 900, includeInvalid });
      assert.deepEqual(summary.expected, recountExpected(events));
    });
  }

  it('counts every entity the events hold', () => {
    const { events, summary } = generateMunicipality({ seed: 5, today, pupils: 900, includeInvalid: true });
    const count = (type: string) => events.filter((e) => e.type === `se.ss12000.${type}.upserted`).length;
    assert.equal(summary.counts.events, events.length);
    assert.equal(summary.counts.organisations, count('organisation'));
    assert.equal(summary.counts.persons, count('person'));
    assert.equal(summary.counts.duties, count('duty'));
    assert.equal(summary.counts.groups, count('group'));
    assert.equal(summary.counts.activities, count('activity'));
    const groupsOf = (type: string) => events.filter((e) => e.type === 'se.ss12000.group.upserted' && e.data.groupType === type).length;
    assert.equal(summary.counts.klassGroups, groupsOf('Klass'));
    assert.equal(summary.counts.undervisningGroups, groupsOf('Undervisning'));
    assert.equal(summary.counts.otherGroups, groupsOf('Mentor'));
  });

  it('is available without generating events', () => {
    const options = { seed: 5, today, pupils: 900 };
    assert.deepEqual(summarizeMunicipality(options), generateMunicipality(options).summary);
  });
});

describe('includeInvalid', () => {
  const { events, summary } = generateMunicipality({ seed: 8, today, pupils: 600, includeInvalid: true });
  const index = assertReferencesResolve(events);

  it('keeps the events valid against the contract', () => assertContract(events));

  it('adds a staff member without a Skola personal email, with a duty', () => {
    const staff = [...index.person.values()].filter((p) => !p.enrolments && p.emails.every((e) => e.type !== 'Skola personal'));
    assert.equal(staff.length, 1);
    assert.equal([...index.duty.values()].filter((d) => d.person.id === staff[0]!.id).length, 1);
  });

  it('adds an enrolment in school year 11 and a Mentor group', () => {
    const year11 = [...index.person.values()].filter((p) => p.enrolments?.some((e) => e.schoolYear === 11));
    assert.equal(year11.length, 1);
    assert.equal([...index.group.values()].filter((g) => g.groupType === 'Mentor').length, 1);
  });

  it('leaves all of them out of the expected counts', () => {
    const regular = generateMunicipality({ seed: 8, today, pupils: 600 }).summary;
    assert.deepEqual(summary.expected, regular.expected);
    assert.equal(summary.counts.persons, regular.counts.persons + 2);
  });
});
