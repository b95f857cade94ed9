import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { MAX_EVENT_BYTES, MAX_JSON_DEPTH } from './event-body.js';
import { MAX_PROBLEMS } from './input-problems.js';
import { parseSisInput } from './parse-sis-input.js';
import { SIS_ENTITIES } from './sis-change.js';
import { CIVIC_NO, exampleData, exampleEvent, PERSON_ID } from '../../testing/sis-event-examples.js';
import { assertProblem, problemsOf } from '../../testing/sis-input-assertions.js';

describe('parseSisInput: valid events', () => {
  for (const entity of SIS_ENTITIES) {
    it(`accepts a ${entity} upsert as text and keeps the attributes no schema knows`, () => {
      const result = parseSisInput(JSON.stringify(exampleEvent(entity)));
      assert.ok(result.ok, JSON.stringify(result));
      assert.equal(result.change.entity, entity);
      assert.equal(result.change.action, 'upserted');
      assert.equal(result.change.subject, exampleData[entity]['id']);
      assert.deepEqual(result.change.data, exampleData[entity]);
    });

    it(`accepts a ${entity} delete with data absent or null`, () => {
      for (const event of [exampleEvent(entity, 'deleted'), exampleEvent(entity, 'deleted', { data: null })]) {
        const result = parseSisInput(event);
        assert.ok(result.ok, JSON.stringify(result));
        assert.equal(result.change.action, 'deleted');
        assert.equal(result.change.data, null);
      }
    });
  }

  it('returns the envelope attributes provsync works with', () => {
    const result = parseSisInput(new TextEncoder().encode(JSON.stringify(exampleEvent('duty'))));
    assert.ok(result.ok);
    assert.deepEqual({ ...result.change, data: null }, {
      entity: 'duty',
      action: 'upserted',
      subject: exampleData.duty['id'],
      source: 'urn:sis:extens:kommun-0180',
      id: '0b6b7a9e-2f7e-4d39-9b7e-0d6f6f1c2a11',
      time: '2026-08-14T07:12:03.120Z',
      sequence: '000000000000421337',
      actor: 'sis-user:anna.berg',
      data: null,
    });
  });

  it('accepts an event without the optional sequence, actor and datacontenttype', () => {
    const { sequence: _s, actor: _a, datacontenttype: _d, ...event } = exampleEvent('group');
    const result = parseSisInput(event);
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal('sequence' in result.change, false);
    assert.equal('actor' in result.change, false);
  });

  it('accepts a time with an offset and a subject in capitals', () => {
    const result = parseSisInput(exampleEvent('person', 'upserted', { time: '2026-08-14T09:12:03+02:00', subject: PERSON_ID.toUpperCase() }));
    assert.ok(result.ok, JSON.stringify(result));
  });
});

describe('parseSisInput: the bad input of sis-change-events.md', () => {
  it('refuses text that is not JSON, without echoing it', () => {
    const problems = problemsOf(`{"specversion":"1.0","civicNo":"${CIVIC_NO}"`);
    assertProblem(problems, '(body)', /^not valid JSON: /);
    assert.ok(problems.every((problem) => !problem.reason.includes(CIVIC_NO)));
    assertProblem(problemsOf(`nonsense ${CIVIC_NO}`), '(body)', /^not valid JSON: syntax error/);
    assert.ok(problemsOf(`nonsense ${CIVIC_NO}`).every((problem) => !problem.reason.includes(CIVIC_NO)));
  });

  it('refuses bytes that are not UTF-8', () => {
    assertProblem(problemsOf(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])), '(body)', /UTF-8/);
  });

  it('refuses JSON that is not one object', () => {
    assertProblem(problemsOf('[]'), '(body)', /must be a JSON object/);
    assertProblem(problemsOf('42'), '(body)', /must be a JSON object/);
    assertProblem(problemsOf('  '), '(body)', /is empty/);
    assertProblem(problemsOf('\uFEFF\n\u00A0\u2003\t'), '(body)', /is empty/);
  });

  it('reads an event written with a byte order mark', () => {
    const result = parseSisInput(`\uFEFF${JSON.stringify(exampleEvent('person'))}\n`);
    assert.ok(result.ok, JSON.stringify(result));
  });

  for (const attribute of ['specversion', 'id', 'source', 'type', 'subject', 'time']) {
    it(`refuses an event that misses the required ${attribute}`, () => {
      const { [attribute]: _missing, ...event } = exampleEvent('person');
      assertProblem(problemsOf(event), attribute, /is required/);
    });
  }

  it('refuses an unknown type, naming the allowed ones', () => {
    assertProblem(problemsOf(exampleEvent('person', 'upserted', { type: 'se.ss12000.pupil.upserted' })), 'type', /entity one of organisation, person/);
    assertProblem(problemsOf(exampleEvent('person', 'upserted', { type: 'se.ss12000.person.updated' })), 'type', /upserted or .*deleted/);
  });

  it('refuses data that does not parse, naming the field as a JSON path', () => {
    const data = { ...exampleData.person, enrolments: [{ enroledAt: { id: exampleData.organisation['id'] }, schoolType: 'GR', startDate: '2025-13-01' }] };
    const problems = problemsOf(exampleEvent('person', 'upserted', { data }));
    assert.deepEqual(problems, [{ field: 'data.enrolments[0].startDate', reason: 'must be a calendar date YYYY-MM-DD' }]);
  });
});

describe('parseSisInput: more bad input', () => {
  it('refuses another specversion', () => {
    assertProblem(problemsOf(exampleEvent('duty', 'upserted', { specversion: '0.3' })), 'specversion', /must be "1.0"/);
  });

  it('refuses an upsert whose subject is not data.id', () => {
    const problems = problemsOf(exampleEvent('duty', 'upserted', { subject: PERSON_ID }));
    assert.deepEqual(problems, [{ field: 'subject', reason: 'must equal data.id on an upsert event' }]);
  });

  it('refuses data on a delete', () => {
    assertProblem(problemsOf(exampleEvent('group', 'deleted', { data: exampleData.group })), 'data', /must be absent or null on a delete/);
  });

  it('refuses an upsert without data', () => {
    assertProblem(problemsOf(exampleEvent('group', 'deleted', { type: 'se.ss12000.group.upserted' })), 'data', /is required on an upsert/);
    assertProblem(problemsOf(exampleEvent('group', 'upserted', { data: null })), 'data', /is required on an upsert/);
  });

  it('refuses data that is not an object', () => {
    assertProblem(problemsOf(exampleEvent('group', 'upserted', { data: [exampleData.group] })), 'data', /must be a JSON object/);
  });

  it('refuses ids that are not UUIDs, in the envelope and in data', () => {
    assertProblem(problemsOf(exampleEvent('duty', 'upserted', { subject: 'duty-17' })), 'subject', /must be a UUID/);
    const data = { ...exampleData.duty, person: { id: '12345' } };
    assertProblem(problemsOf(exampleEvent('duty', 'upserted', { data })), 'data.person.id', /must be a UUID/);
  });

  it('refuses a time that is not RFC 3339 with a zone', () => {
    for (const time of ['2026-08-14 07:12:03', '2026-08-14T07:12:03', '14/08/2026', 1755155523]) {
      assertProblem(problemsOf(exampleEvent('duty', 'upserted', { time })), 'time', /RFC 3339/);
    }
  });

  it('refuses a source that is not a URI and a sequence that is not digits', () => {
    assertProblem(problemsOf(exampleEvent('duty', 'upserted', { source: 'kommun 0180' })), 'source', /URI/);
    assertProblem(problemsOf(exampleEvent('duty', 'upserted', { sequence: 421337 })), 'sequence', /digits/);
    assertProblem(problemsOf(exampleEvent('duty', 'upserted', { sequence: '42a' })), 'sequence', /digits/);
  });

  it('refuses data that is not JSON by its datacontenttype', () => {
    assertProblem(problemsOf(exampleEvent('duty', 'upserted', { datacontenttype: 'text/xml' })), 'datacontenttype', /application\/json/);
  });

  it('refuses an unknown envelope attribute such as a misspelt one', () => {
    const { subject, ...rest } = exampleEvent('duty');
    const problems = problemsOf({ ...rest, subjet: subject });
    assertProblem(problems, 'subjet', /not an attribute of this contract/);
    assertProblem(problems, 'subject', /is required/);
  });

  it('refuses an event over MAX_EVENT_BYTES, saying how big it was', () => {
    const event = exampleEvent('organisation', 'upserted', { data: { ...exampleData.organisation, notes: 'x'.repeat(MAX_EVENT_BYTES) } });
    const text = JSON.stringify(event);
    const size = new TextEncoder().encode(text).byteLength;
    for (const raw of [text, new TextEncoder().encode(text), event]) {
      assertProblem(problemsOf(raw), '(body)', new RegExp(`^is ${size} bytes; an event may be at most ${MAX_EVENT_BYTES}`));
    }
  });

  it('counts the size in UTF-8 bytes, not characters', () => {
    const notes = 'å'.repeat(MAX_EVENT_BYTES / 2);
    assertProblem(problemsOf(JSON.stringify(exampleEvent('organisation', 'upserted', { data: { ...exampleData.organisation, notes } }))), '(body)', /bytes/);
  });

  it('refuses JSON nested deeper than MAX_JSON_DEPTH, which could not be stored', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const text = JSON.stringify(exampleEvent('group')).replace('"room":"B12"', `"room":${deep}`);
    assertProblem(problemsOf(text), '(body)', new RegExp(`nests deeper than ${MAX_JSON_DEPTH} levels`));
    const cyclic: Record<string, unknown> = { ...exampleData.group };
    cyclic['self'] = cyclic;
    assertProblem(problemsOf(exampleEvent('group', 'upserted', { data: cyclic })), '(body)', /nests deeper/);
  });

  it('caps the problems it lists', () => {
    const extras = Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`extra${i}`, 1]));
    const problems = problemsOf({ ...exampleEvent('duty'), ...extras });
    assert.equal(problems.length, MAX_PROBLEMS + 1);
    assert.deepEqual(problems.at(-1), { field: '(body)', reason: '15 more problems not listed' });
  });

  it('reports envelope and data problems together', () => {
    const problems = problemsOf(exampleEvent('duty', 'upserted', { time: 'now', data: { ...exampleData.duty, dutyRole: 7 } }));
    assert.deepEqual(problems.map((problem) => problem.field).sort(), ['data.dutyRole', 'time']);
  });
});

describe('parseSisInput: personal data stays out of the reasons', () => {
  it('never echoes a civicNo, a name or an email, whatever is wrong with them', () => {
    const secrets = [CIVIC_NO, 'Lisa', 'Johansson', 'lisa.johansson@skola.kommun.se'];
    const data = {
      ...exampleData.person,
      civicNo: { value: Number(CIVIC_NO), nationality: 'SE' },
      givenName: ['Lisa'],
      familyName: { name: 'Johansson' },
      emails: [{ value: 'lisa.johansson@skola.kommun.se', type: 7 }],
      securityMarking: CIVIC_NO.repeat(20),
    };
    const problems = problemsOf(JSON.stringify(exampleEvent('person', 'upserted', { data })));
    assert.deepEqual(problems.map((problem) => problem.field).sort(), [
      'data.civicNo.value',
      'data.emails[0].type',
      'data.familyName',
      'data.givenName',
      'data.securityMarking',
    ]);
    for (const problem of problems) {
      for (const secret of secrets) assert.ok(!problem.reason.includes(secret), `${problem.field}: ${problem.reason}`);
    }
  });
});
