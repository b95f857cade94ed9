import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { parseSisInput } from './parse-sis-input.js';
import { exampleData, exampleEvent } from '../../testing/sis-event-examples.js';
import { assertProblem, problemsOf } from '../../testing/sis-input-assertions.js';

describe('parseSisInput: CloudEvents binary mode', () => {
  const headersOf = (event: Record<string, unknown>, prefix = 'ce_') =>
    Object.fromEntries(
      Object.entries(event)
        .filter(([name]) => name !== 'data' && name !== 'datacontenttype')
        .map(([name, value]) => [`${prefix}${name}`, String(value)]),
    );

  it('takes the attributes from ce_ headers (Kafka) and the body as data', () => {
    const event = exampleEvent('group');
    const result = parseSisInput(JSON.stringify(event['data']), { ...headersOf(event), 'content-type': 'application/json' });
    assert.ok(result.ok, JSON.stringify(result));
    assert.deepEqual(result.change.data, exampleData.group);
    assert.equal(result.change.sequence, '000000000000421337');
  });

  it('takes ce- headers (HTTP) in any case, and an empty body as a delete', () => {
    const event = exampleEvent('group', 'deleted');
    const result = parseSisInput(new Uint8Array(), headersOf(event, 'Ce-'));
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(result.change.action, 'deleted');
    assert.equal(result.change.data, null);
  });

  it('names the header in problems with the envelope', () => {
    const event = exampleEvent('group');
    const headers = { ...headersOf(event), ce_time: 'yesterday', ce_subjet: 'x', 'content-type': 'text/csv' };
    const problems = problemsOf(JSON.stringify(event['data']), headers);
    assertProblem(problems, 'ce_time', /RFC 3339/);
    assertProblem(problems, 'ce_subjet', /not an attribute/);
    assertProblem(problems, 'content-type', /application\/json/);
  });

  it('refuses a bad body, and an upsert without one', () => {
    const event = exampleEvent('group');
    assertProblem(problemsOf('{"id":', headersOf(event)), '(body)', /not valid JSON/);
    assertProblem(problemsOf('', headersOf(event)), 'data', /is required on an upsert/);
    assertProblem(problemsOf(JSON.stringify({ ...exampleData.group, groupType: 3 }), headersOf(event)), 'data.groupType', /string/);
  });

  it('reads a structured event when no header carries a CloudEvents attribute', () => {
    const event = exampleEvent('group');
    const result = parseSisInput(JSON.stringify(event), { traceparent: '00-abc-def-01', ce_: 'x', ce_id: undefined, 'content-type': 'application/json' });
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(result.change.id, event['id']);
  });

  it('reads a structured event when the content type says so, despite ce_ headers', () => {
    const event = exampleEvent('group');
    const result = parseSisInput(JSON.stringify(event), { ...headersOf(event), 'content-type': 'application/cloudevents+json' });
    assert.ok(result.ok, JSON.stringify(result));
  });
});
