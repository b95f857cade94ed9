import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseExplainArgs } from './explain-options.js';

const NOW = new Date('2026-12-04T12:00:00Z');
const parse = (...args: string[]) => parseExplainArgs(args, NOW);

describe('provsync explain arguments', () => {
  it('reads the SIS id and the flags in any order', () => {
    assert.deepEqual(parse('--json', 'abc', '--show-protected', '--as-of', '2026-03-03T08:00:00+01:00'), {
      sisId: 'abc',
      json: true,
      showProtected: true,
      asOf: new Date('2026-03-03T07:00:00Z'),
    });
    assert.deepEqual(parse('abc', '--as-of', '2026-03-03'), { sisId: 'abc', json: false, showProtected: false, asOf: new Date('2026-03-03T00:00:00Z') });
  });

  it('names --as-of and the reason for a missing, unreadable or future time, without repeating what was typed', () => {
    assert.match((parse('abc', '--as-of') as { error: string }).error, /^--as-of needs a time/);
    for (const bad of ['yesterday', '3', '2026-13-01', '199001011234', '2026-03-03T25:00'])
      assert.deepEqual(parse('abc', '--as-of', bad), { error: '--as-of: not a time (ISO 8601 expected); give e.g. 2026-03-01 or 2026-03-01T08:00:00Z' }, bad);
    assert.match((parse('abc', '--as-of', '2026-12-05') as { error: string }).error, /^--as-of: 2026-12-05T00:00:00.000Z is in the future/);
  });

  it('refuses no id, two ids and unknown options', () => {
    assert.deepEqual(parse('--json'), { error: 'give the SIS id to explain' });
    assert.deepEqual(parse('a', 'b'), { error: 'one SIS id at a time' });
    assert.deepEqual(parse('a', '--since', 'x'), { error: 'unknown option --since' });
  });
});
