import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CachedRowReader } from './read-model-projector.js';
import type { ReadModelStorage } from './read-model-storage.port.js';

/** The storage's reads only, over a map; counts the reads that reach it. */
function fakeStorage(rows: Record<string, unknown> = {}) {
  const reads: string[] = [];
  const storage = {
    async get(_generation: string, collection: string, key: string) {
      reads.push(`${collection}/${key}`);
      return rows[`${collection}/${key}`];
    },
    async findByTerm() {
      return [];
    },
  } as unknown as ReadModelStorage;
  return { storage, reads };
}

describe('CachedRowReader', () => {
  it('reads a row from the storage once, then answers from what it read (a miss too)', async () => {
    const { storage, reads } = fakeStorage({ 'objects/a': { v: 1 } });
    const rows = new CachedRowReader(storage, 'audit#1', false);
    assert.deepEqual(await rows.get('objects', 'a'), { v: 1 });
    assert.deepEqual(await rows.get('objects', 'a'), { v: 1 });
    assert.equal(await rows.get('objects', 'b'), undefined);
    assert.equal(await rows.get('objects', 'b'), undefined);
    assert.deepEqual(reads, ['objects/a', 'objects/b']);
  });

  it('answers committed rows as the storage would after a JSON round trip, and deleted ones as absent', async () => {
    const { storage, reads } = fakeStorage({ 'objects/a': { v: 1 } });
    const rows = new CachedRowReader(storage, 'audit#1', false);
    await rows.get('objects', 'a');
    rows.committed([
      { collection: 'objects', key: 'b', value: { v: 2, gone: undefined, at: new Date('2026-09-01T00:00:00Z') } },
      { collection: 'objects', key: 'a' },
    ]);
    assert.deepEqual(await rows.get('objects', 'b'), { v: 2, at: '2026-09-01T00:00:00.000Z' });
    assert.equal(await rows.get('objects', 'a'), undefined);
    assert.deepEqual(reads, ['objects/a']);
  });

  it('on an empty generation, answers unseen keys as absent without reading the storage', async () => {
    const { storage, reads } = fakeStorage({ 'objects/x': { stale: true } });
    const rows = new CachedRowReader(storage, 'audit#2', true);
    assert.equal(await rows.get('objects', 'x'), undefined);
    rows.committed([{ collection: 'objects', key: 'x', value: { v: 3 } }]);
    assert.deepEqual(await rows.get('objects', 'x'), { v: 3 });
    assert.deepEqual(reads, []);
  });

  it('keeps no rows of a collection it has not read, and then reads that collection from the storage', async () => {
    const { storage, reads } = fakeStorage({ 'entries/1': { e: 1 } });
    const rows = new CachedRowReader(storage, 'audit#2', true);
    rows.committed([{ collection: 'entries', key: '1', value: { e: 1 } }]);
    assert.deepEqual(await rows.get('entries', '1'), { e: 1 });
    assert.deepEqual(reads, ['entries/1']);
  });

  it('past its limit starts again and no longer takes an unseen key for absent', async () => {
    const { storage, reads } = fakeStorage({ 'objects/old': { v: 0 } });
    const rows = new CachedRowReader(storage, 'audit#2', true, 2);
    await rows.get('objects', 'none');
    rows.committed([
      { collection: 'objects', key: 'a', value: 1 },
      { collection: 'objects', key: 'b', value: 2 },
      { collection: 'objects', key: 'c', value: 3 },
    ]);
    assert.equal(await rows.get('objects', 'c'), 3);
    assert.deepEqual(await rows.get('objects', 'old'), { v: 0 });
    assert.deepEqual(reads, ['objects/old']);
  });
});
