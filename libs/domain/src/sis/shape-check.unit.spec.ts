import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';

import { cloudEventEnvelopeSchema } from './cloud-event-envelope.schema.js';
import { parseSisInput } from './parse-sis-input.js';
import { compileShapeCheck } from './shape-check.js';
import { SIS_ENTITIES } from './sis-change.js';
import { exampleData, exampleEvent, PERSON_ID } from '../../testing/sis-event-examples.js';
import { sisObjectSchemas } from './sis-objects.schema.js';

/** Values that sit on, just inside and just outside the bounds and formats our schemas use. */
const REPLACEMENTS: unknown[] = [
  undefined, null, true, false, 0, -1, -2, 1.5, 99, 100, 2 ** 53, Number.MAX_VALUE,
  '', ' ', 'x', 'x'.repeat(100), 'x'.repeat(101), 'x'.repeat(256), 'x'.repeat(257), 'x'.repeat(320), 'x'.repeat(321),
  'x'.repeat(2049), PERSON_ID, PERSON_ID.toUpperCase(), `${PERSON_ID}0`, 'not-a-uuid',
  '2026-02-28', '2026-02-29', '2028-02-29', '2026-13-01', '2026-08-14T07:00:00Z', '2026-08-14T07:00:00.5+02:00', '2026-08-14T07:00:00',
  '1.0', '1.1', 'se.ss12000.person.upserted', 'se.ss12000.person.moved', 'urn:sis:x', '/sis/x', 'sis x', '1'.repeat(40), '1'.repeat(41),
  'application/json', 'application/cloudevents+json; charset=utf-8', 'text/plain',
  [], [PERSON_ID], Array.from({ length: 101 }, () => 'x'), {}, { id: PERSON_ID }, { id: 'nope' },
];

type Json = unknown;

/** Every variant of `value` with one place changed: a value replaced, a key removed, or an unknown key added. */
function* variants(value: Json): Generator<Json> {
  for (const replacement of REPLACEMENTS) yield replacement;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      for (const child of variants(value[i])) yield value.map((item, j) => (j === i ? child : item));
    }
    yield [...value, value[0]];
  } else if (typeof value === 'object' && value !== null) {
    const object = value as Record<string, unknown>;
    for (const key of Object.keys(object)) {
      for (const child of variants(object[key])) yield { ...object, [key]: child };
      const { [key]: _removed, ...rest } = object;
      yield rest;
    }
    yield { ...object, unexpectedAttribute: 'x' };
  }
}

function assertSameVerdicts(schema: z.ZodType, value: Json): number {
  const check = compileShapeCheck(schema);
  let compared = 0;
  for (const variant of variants(value)) {
    const expected = schema.safeParse(variant).success;
    assert.equal(check(variant), expected, `zod says ${expected} for ${JSON.stringify(variant)?.slice(0, 300)}`);
    compared += 1;
  }
  return compared;
}

describe('compileShapeCheck agrees with zod', () => {
  for (const entity of SIS_ENTITIES) {
    it(`on every one-place variant of the ${entity} example data`, () => {
      assert.ok(assertSameVerdicts(sisObjectSchemas[entity], exampleData[entity]) > 300);
    });

    it(`on every one-place variant of a ${entity} event's envelope`, () => {
      assertSameVerdicts(cloudEventEnvelopeSchema, exampleEvent(entity));
      assertSameVerdicts(cloudEventEnvelopeSchema, exampleEvent(entity, 'deleted'));
    });
  }

  it('refuses to compile what it cannot check exactly, instead of letting it through', () => {
    assert.throws(() => compileShapeCheck(z.object({ id: z.string() })), /catchall "strip"/);
    assert.throws(() => compileShapeCheck(z.email()), /string format "email"/);
    assert.throws(() => compileShapeCheck(z.string().refine((s) => s !== 'x')), /not supported/);
    assert.throws(() => compileShapeCheck(z.union([z.string(), z.number()])), /type "union"/);
  });
});

describe('parseSisInput takes the fast path for valid events', () => {
  for (const entity of SIS_ENTITIES) {
    it(`uses a valid ${entity} event's data as it arrived, not a copy`, () => {
      const event = exampleEvent(entity);
      const result = parseSisInput(event);
      assert.ok(result.ok);
      assert.equal(result.change.data, event['data']);
    });
  }
});
