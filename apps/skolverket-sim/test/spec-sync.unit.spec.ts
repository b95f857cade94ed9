import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { OBJECT_TYPES, OPENAPI_FILES } from '@provsync/skolverket-api';
import { parse } from 'yaml';
import { ACTIVITY_TYPES, DUTY_ROLES, EMAIL_TYPES, GROUP_TYPES, SCHOOL_TYPES, SECURITY_MARKINGS } from '../src/domain/validation/enums.js';
import { SHAPES, type Shape } from '../src/domain/validation/shapes.js';
import { repoFile } from './support/repo.js';

const doc = parse(readFileSync(repoFile(OPENAPI_FILES.provisioning), 'utf8'));
const resolve = (node: any): any => (node?.$ref ? resolve(node.$ref.slice(2).split('/').reduce((at: any, k: string) => at[k], doc)) : node);
/** The properties a schema allows, through $ref and allOf. */
function properties(schema: any): Record<string, any> {
  const s = resolve(schema);
  return Object.assign({}, ...(s.allOf ?? []).map(properties), s.properties ?? {});
}
/** The shape of a schema as the simulator writes it ('value' leaves; readOnly marks). */
function shapeOf(schema: any): Shape {
  const s = resolve(schema);
  if (s.type === 'array') return [shapeOf(s.items)];
  const props = properties(s);
  if (Object.keys(props).length === 0) return 'value';
  return Object.fromEntries(
    Object.entries(props).map(([k, v]) => [k, resolve(v).readOnly || k === 'meta' ? 'readOnly' : shapeOf(v)]),
  ) as Shape;
}

describe('the simulator’s copy of the OpenAPI file', () => {
  it('has the enums of dnp-provisioning-api.yaml', () => {
    const s = doc.components.schemas;
    assert.deepEqual([...SCHOOL_TYPES], s.Code_SchoolType.enum);
    assert.deepEqual([...DUTY_ROLES], s.Code_DutyRole.enum);
    assert.deepEqual([...GROUP_TYPES], s.Code_GroupType.enum);
    assert.deepEqual([...ACTIVITY_TYPES], s.Activity.properties.activityType.enum);
    assert.deepEqual([...EMAIL_TYPES], s.Person.properties.emails.items.properties.type.enum);
    assert.deepEqual([...SECURITY_MARKINGS], s.Person.properties.securityMarking.enum);
  });

  it('allows exactly the attributes of the Person, Duty, Group and Activity schemas', () => {
    const names = { person: 'Person', duty: 'Duty', group: 'Group', activity: 'Activity' } as const;
    for (const type of OBJECT_TYPES) assert.deepEqual(SHAPES[type], shapeOf({ $ref: `#/components/schemas/${names[type]}` }), type);
  });
});
