import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { parseSisBatch, parseSisBatchItem, splitNdjson, type SisBatchItem } from './sis-batch.js';
import { exampleEvent } from '../../testing/sis-event-examples.js';

const good = (entity: 'person' | 'group') => JSON.stringify(exampleEvent(entity));
const outcomes = (items: SisBatchItem[]) => items.map((item) => parseSisBatchItem(item).ok);

describe('splitNdjson', () => {
  it('yields the non-blank lines with their 1-based numbers', () => {
    assert.deepEqual([...splitNdjson('\uFEFF{"a":1}\r\n\n  \n{"b":2}\n')], [
      { line: 1, text: '{"a":1}' },
      { line: 4, text: '{"b":2}' },
    ]);
  });
});

describe('parseSisBatch', () => {
  it('yields the good events on both sides of a bad one, as NDJSON', () => {
    const items = parseSisBatch(`${good('person')}\n{"specversion": "1.0", oops\n\n${good('group')}\n`);
    assert.deepEqual(items.map((item) => item.line), [1, 2, 4]);
    assert.deepEqual(outcomes(items), [true, false, true]);
  });

  it('yields the good events on both sides of a bad one, as a JSON array', () => {
    const body = `[\n${good('person')},\n{"specversion": "1.0", "data": {"x": [1 2]}, oops},\n${good('group')}\n]`;
    const items = parseSisBatch(body);
    assert.deepEqual(items.map((item) => [item.index, item.line]), [[0, 2], [1, 3], [2, 4]]);
    assert.deepEqual(outcomes(items), [true, false, true]);
  });

  it('keeps commas and brackets inside strings within their element', () => {
    const tricky = JSON.stringify(exampleEvent('group', 'upserted', { actor: 'a, "b" ] } [ {' }));
    const items = parseSisBatch(`[${tricky},${good('person')}]`);
    assert.deepEqual(outcomes(items), [true, true]);
  });

  it('reads an empty array as no events', () => {
    assert.deepEqual(parseSisBatch(' [ ] '), []);
    assert.deepEqual(parseSisBatch(''), []);
  });

  it('reports a stray comma, text after the array and a cut-off array as their own items', () => {
    const stray = parseSisBatch(`[${good('person')},,${good('group')}]`);
    assert.deepEqual(outcomes(stray), [true, false, true]);
    const trailing = parseSisBatch(`[${good('person')}] junk`);
    assert.deepEqual(outcomes(trailing), [true, false]);
    const cut = parseSisBatch(`[${good('person')},${good('group')}`);
    assert.deepEqual(outcomes(cut), [true, false]);
    const last = parseSisBatchItem(cut[1]!);
    assert.ok(!last.ok && /ends before the JSON array is closed/.test(last.problems[0]!.reason));
  });
});
