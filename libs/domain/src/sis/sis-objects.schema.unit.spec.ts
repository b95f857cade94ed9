import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { SIS_ENTITIES } from './sis-change.js';
import { exampleData, PERSON_ID, SCHOOL_ID } from '../../testing/sis-event-examples.js';
import { SIS_LIMITS, sisActivitySchema, sisGroupSchema, sisObjectSchemas, sisPersonSchema } from './sis-objects.schema.js';

const issuePaths = (result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) =>
  (result.error?.issues ?? []).map((issue) => issue.path.join('.'));

describe('SIS object schemas', () => {
  for (const entity of SIS_ENTITIES) {
    it(`accepts the example ${entity} and keeps its unknown attributes`, () => {
      const result = sisObjectSchemas[entity].safeParse(exampleData[entity]);
      assert.ok(result.success, JSON.stringify(result.error?.issues));
      assert.deepEqual(result.data, exampleData[entity]);
    });

    it(`requires the ${entity}'s id to be a UUID`, () => {
      assert.deepEqual(issuePaths(sisObjectSchemas[entity].safeParse({ ...exampleData[entity], id: 'abc' })), ['id']);
    });
  }

  it('leaves Skolverket business rules to the projection: any email type, school type or civicNo text passes', () => {
    const person = {
      ...exampleData.person,
      civicNo: { value: '19790101-1234' },
      eduPersonPrincipalNames: ['a@x.se', 'b@x.se'],
      emails: [{ value: 'not quite an address', type: 'Arbete övrigt' }],
      enrolments: [{ enroledAt: { id: SCHOOL_ID }, schoolType: 'FSK', schoolYear: 0 }],
    };
    assert.ok(sisPersonSchema.safeParse(person).success);
  });

  it('accepts an activity linked to its national test by id or by name', () => {
    for (const parentActivity of [{ id: PERSON_ID }, { displayName: 'MATMAT01a' }, undefined]) {
      assert.ok(sisActivitySchema.safeParse({ ...exampleData.activity, parentActivity }).success);
    }
  });

  it('bounds strings and arrays', () => {
    const members = (count: number) => Array.from({ length: count }, () => ({ person: { id: PERSON_ID } }));
    assert.ok(sisGroupSchema.safeParse({ ...exampleData.group, groupMemberships: members(SIS_LIMITS.groupMemberships) }).success);
    const tooMany = sisGroupSchema.safeParse({ ...exampleData.group, groupMemberships: members(SIS_LIMITS.groupMemberships + 1) });
    assert.deepEqual(issuePaths(tooMany), ['groupMemberships']);
    assert.match(tooMany.error!.issues[0]!.message, /at most 5000 items/);
    const longName = sisGroupSchema.safeParse({ ...exampleData.group, displayName: 'x'.repeat(SIS_LIMITS.nameChars + 1) });
    assert.deepEqual(issuePaths(longName), ['displayName']);
    const emails = Array.from({ length: SIS_LIMITS.list + 1 }, () => ({ value: 'a@x.se' }));
    assert.deepEqual(issuePaths(sisPersonSchema.safeParse({ ...exampleData.person, emails })), ['emails']);
  });

  it('requires real calendar dates', () => {
    const at = (startDate: string) => sisGroupSchema.safeParse({ ...exampleData.group, startDate }).success;
    assert.equal(at('2024-02-29'), true);
    assert.equal(at('2025-02-29'), false);
    assert.equal(at('2025-8-18'), false);
    assert.equal(at('2025-08-18T00:00:00Z'), false);
  });

  it('requires the links that give an object its meaning', () => {
    const { person: _person, ...duty } = exampleData.duty;
    assert.deepEqual(issuePaths(sisObjectSchemas.duty.safeParse(duty)), ['person']);
    const group = { ...exampleData.group, groupMemberships: [{ startDate: '2025-08-18' }] };
    assert.deepEqual(issuePaths(sisGroupSchema.safeParse(group)), ['groupMemberships.0.person']);
  });
});
