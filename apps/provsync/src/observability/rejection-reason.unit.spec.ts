import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseSisBatch, parseSisInput } from '@provsync/domain';
import { REJECTION_REASONS, rejectionReason } from './rejection-reason.js';

const ORG = '0b6e7d3c-1f2a-4c5b-8d9e-0a1b2c3d4e5f';
const event = {
  specversion: '1.0', id: 'e-1', source: 'urn:sis:test', type: 'se.ss12000.organisation.upserted', subject: ORG,
  time: '2026-08-14T07:12:03.120Z', datacontenttype: 'application/json',
  data: { id: ORG, displayName: 'Skola', organisationType: 'Skolenhet' },
};

/** The reason code of what provsync's own parser says about `raw`. */
function codeOf(raw: string | object): string {
  const parsed = parseSisInput(raw);
  assert.equal(parsed.ok, false, `expected ${JSON.stringify(raw).slice(0, 80)} to be refused`);
  return rejectionReason(parsed.ok ? [] : parsed.problems);
}

describe('rejectionReason: a closed set of codes for refused events', () => {
  it("names each kind of problem provsync's parser finds", () => {
    assert.equal(parseSisInput(event).ok, true, 'the example itself is valid');
    assert.equal(codeOf('{"specversion": "1.0", oops'), 'not_json');
    assert.equal(codeOf(new Uint8Array([0xff, 0xfe, 0x41])), 'not_utf8');
    assert.equal(codeOf(`{"a":${'['.repeat(40)}${']'.repeat(40)}}`), 'too_deep');
    assert.equal(codeOf(JSON.stringify({ ...event, data: { ...event.data, displayName: 'x'.repeat(300_000) } })), 'event_too_large');
    assert.equal(codeOf('   '), 'empty');
    assert.equal(codeOf('[1]'), 'malformed_body');
    assert.equal(codeOf({ ...event, '19121212-1212': 'x' }), 'unknown_attribute');
    assert.equal(codeOf({ ...event, source: undefined }), 'missing_attribute');
    assert.equal(codeOf({ ...event, type: 'se.ss12000.pupil.upserted' }), 'invalid_envelope');
    assert.equal(codeOf({ ...event, subject: 'o-2' }), 'invalid_envelope');
    assert.equal(codeOf({ ...event, data: { ...event.data, organisationType: 7 } }), 'invalid_data');
    const batch = parseSisBatch('[{"a":1}, ');
    const cut = batch.find((item) => 'problems' in item);
    assert.equal(rejectionReason(cut && 'problems' in cut ? cut.problems : []), 'malformed_body');
  });

  it('tells a bad SS12000 object from a bad envelope by the field path', () => {
    assert.equal(rejectionReason([{ field: 'data.enrolments[0].schoolYear', reason: 'must be a number' }]), 'invalid_data');
    assert.equal(rejectionReason([{ field: 'data', reason: 'must be absent or null on a delete event' }]), 'invalid_data');
    assert.equal(rejectionReason([{ field: 'ce_type', reason: 'must be se.ss12000.<entity>.upserted' }]), 'invalid_envelope');
    assert.equal(rejectionReason([]), 'other');
  });

  it('never returns anything outside the set, whatever the field and reason say', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ field: fc.string(), reason: fc.string() })), (problems) => {
        assert.ok((REJECTION_REASONS as readonly string[]).includes(rejectionReason(problems)));
      }),
    );
  });
});
