import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEAD_LETTER_HEADERS, deadLetterFor, deadLetterRecord, describeProblems } from './dead-letters.js';
import type { SourceMessage } from './sis-change-source.port.js';

const original: SourceMessage = {
  topic: 'sis.changes', partition: 3, offset: '1234', key: 'subject-1',
  headers: { traceparent: '00-abc-def-01' }, value: Buffer.from('{"not": json'),
};

describe('dead letters', () => {
  it('keep the original key, value and headers, and add the reason and where the message came from', () => {
    const letter = deadLetterFor(original, [{ field: '(body)', reason: 'not valid JSON: syntax error at character 9' }]);
    const record = deadLetterRecord(letter, '2026-08-14T07:12:03.120Z', 1024);
    assert.equal(record.key, 'subject-1');
    assert.equal(record.value?.toString(), '{"not": json');
    assert.deepEqual(record.headers, {
      traceparent: '00-abc-def-01',
      [DEAD_LETTER_HEADERS.reason]: '(body): not valid JSON: syntax error at character 9',
      [DEAD_LETTER_HEADERS.originalTopic]: 'sis.changes',
      [DEAD_LETTER_HEADERS.originalPartition]: '3',
      [DEAD_LETTER_HEADERS.originalOffset]: '1234',
      [DEAD_LETTER_HEADERS.rejectedAt]: '2026-08-14T07:12:03.120Z',
    });
  });

  it('leave out a value too big to republish, and say so', () => {
    const record = deadLetterRecord(deadLetterFor(original, [{ field: '(body)', reason: 'too big' }]), '2026-08-14T07:12:03Z', 4);
    assert.equal(record.value, null);
    assert.match(record.headers[DEAD_LETTER_HEADERS.valueDropped]!, /12 bytes; at most 4/);
  });

  it('join every problem into one bounded reason', () => {
    assert.equal(describeProblems([{ field: 'type', reason: 'is required' }, { field: 'time', reason: 'must be an RFC 3339 date-time' }]),
      'type: is required; time: must be an RFC 3339 date-time');
    const many = Array.from({ length: 100 }, (_, i) => ({ field: `data.emails[${i}].value`, reason: 'must be at most 320 characters' }));
    assert.ok(describeProblems(many).length <= 2000);
  });
});
