import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { packJson, unpackJson } from './packed-json.js';
import { PackedRecords } from './packed-records.js';
import { MAX_ARENA_TEXT, TextArena } from './text-arena.js';
import { ReverseIndex } from './reverse-index.js';
import { TransitionCalendar } from './transition-calendar.js';

describe('compact storage of the desired-state projection', () => {
  it('packs JSON shorter and unpacks it to the same data, key order included', () => {
    const person = {
      id: 'p1',
      civicNo: { value: '201902269024', nationality: 'SE' },
      givenName: 'Åsa',
      enrolments: [{ enroledAt: { id: 'o1' }, schoolType: 'GR', schoolYear: 1, startDate: '2026-08-15' }],
      unknownKey: { nested: [1, null, true, 'x'] },
    };
    const packed = packJson(person);
    assert.ok(packed.length < JSON.stringify(person).length);
    assert.equal(JSON.stringify(unpackJson(packed)), JSON.stringify(person));
  });

  it('unpacks values that look like keys or hold control characters exactly as they were', () => {
    const tricky = { displayName: '"id":"x" \u0001\u001f\n\t "person":', '"id":': 'key with quotes', id: '\\"id":' };
    assert.deepEqual(unpackJson(packJson(tricky)), tricky);
  });

  it('keeps records as text, hands back the stored data, and parses again once released', () => {
    const records = new PackedRecords<{ id: string; n: number }>(2);
    records.set('a', { id: 'a', n: 1 });
    records.set('b', { id: 'b', n: 2 });
    records.set('c', { id: 'c', n: 3 }); // past the limit: parsed objects are let go
    records.release();
    assert.deepEqual(records.get('a'), { id: 'a', n: 1 });
    assert.equal(records.get('a'), records.get('a'), 'read lately: the same object');
    assert.deepEqual([...records.keys()], ['a', 'b', 'c']);
    assert.equal(records.size, 3);
    assert.equal(records.delete('b'), true);
    assert.equal(records.get('b'), undefined);
    assert.equal(records.has('b'), false);
  });

  it('indexes referrers without duplicates, as one, a few or many', () => {
    const index = new ReverseIndex();
    index.add('p', 'g1');
    index.add('p', 'g1');
    assert.deepEqual([...index.of('p')], ['g1']);
    index.add('p', 'g2');
    assert.deepEqual([...index.of('p')], ['g1', 'g2']);
    for (let i = 3; i <= 40; i++) index.add('p', `g${i}`);
    assert.equal(index.count('p'), 40);
    for (let i = 1; i <= 40; i++) index.remove('p', `g${i}`);
    assert.equal(index.count('p'), 0);
    assert.deepEqual([...index.of('p')], []);
    index.remove('nobody', 'x');
  });

  it('finds the objects whose decision flips between two days, either way, after their days changed', () => {
    const calendar = new TransitionCalendar();
    calendar.set('person', 'p1', ['2026-08-15', '2027-06-15', '2026-08-15']);
    calendar.set('group', 'g1', ['2026-08-15']);
    calendar.set('duty', 'd1', ['2026-12-01']);
    assert.deepEqual([...calendar.flipsBetween('2026-08-01', '2026-09-01')].sort(), ['group:g1', 'person:p1']);
    assert.deepEqual([...calendar.flipsBetween('2027-01-01', '2026-11-30')], ['duty:d1']);
    calendar.set('person', 'p1', ['2027-06-15']);
    calendar.set('duty', 'd1', []);
    assert.deepEqual([...calendar.flipsBetween('2026-08-01', '2026-12-31')], ['group:g1']);
    assert.deepEqual([...calendar.flipsBetween('2027-06-14', '2027-06-15')], ['person:p1']);
  });
});

describe('packJson', () => {
  it('leaves out what JSON.stringify leaves out and writes what it writes', () => {
    const value = { a: undefined, b: [undefined, () => 1, 1.5, -0, 'é\u2028'], c: { toJSON: () => 'as json' }, d: new Date(0), e: {} };
    assert.equal(JSON.stringify(unpackJson(packJson(value))), JSON.stringify(value));
    assert.throws(() => packJson(undefined));
  });
});

describe('TextArena and PackedRecords over it', () => {
  it('hands back every text as stored, across growth, non-Latin text included', () => {
    const arena = new TextArena();
    const texts = ['', 'a', 'Åsa Öberg', '\u0001{"x":1}', 'Łukasz 😀 '.repeat(100), '\uFEFFbom first'];
    const handles = texts.map((t) => arena.put(t)!);
    assert.deepEqual(handles.map((h) => arena.get(h)), texts);
  });

  it('keeps a text too long for the arena as a string', () => {
    const arena = new TextArena();
    assert.equal(arena.put('x'.repeat(MAX_ARENA_TEXT)), undefined);
    const records = new PackedRecords<{ id: string; big: string }>(0);
    const big = { id: 'b', big: 'y'.repeat(MAX_ARENA_TEXT) };
    records.set('b', big);
    assert.deepEqual(records.get('b'), big);
  });

  it('compacts once most of the arena is replaced text, and every record still reads back', () => {
    const records = new PackedRecords<{ id: string; n: number; pad: string }>(0);
    const pad = 'p'.repeat(1_000);
    for (let round = 0; round < 6; round++) for (let i = 0; i < 1_000; i++) records.set(`r${i}`, { id: `r${i}`, n: round, pad });
    records.delete('r0');
    assert.equal(records.size, 999);
    for (let i = 1; i < 1_000; i++) assert.deepEqual(records.get(`r${i}`), { id: `r${i}`, n: 5, pad });
  });
});
