import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { type ReadModelStorage, StalePositionError } from './read-model-storage.port.js';

/**
 * The behaviour every ReadModelStorage must have. `open` opens the same fresh database each time (the spec makes one
 * per run); each test uses models of its own.
 */
export function readModelStorageContract(name: string, open: () => Promise<ReadModelStorage>): void {
  describe(`read-model storage contract: ${name}`, () => {
    const opened: ReadModelStorage[] = [];
    const fresh = async () => {
      const storage = await open();
      opened.push(storage);
      return storage;
    };
    let models = 0;
    const nextModel = () => `model${++models}_${process.pid}`;
    after(async () => {
      for (const storage of opened) await storage.close();
    });

    it('starts a model at generation 1, position 0, with no rows', async () => {
      const m = nextModel();
      const s = await fresh();
      const g = await s.activeGeneration(m);
      assert.equal(g, `${m}#1`);
      assert.equal(await s.position(g), 0n);
      assert.equal(await s.get(g, 'c', 'k'), undefined);
      assert.equal(await s.count(g, 'c'), 0);
    });

    it('commits rows and the position together, and finds rows by term in key order', async () => {
      const m = nextModel();
      const s = await fresh();
      const g = await s.activeGeneration(m);
      await s.commit(g, 0n, 10n, [
        { collection: 'entries', key: 'b', value: { n: 2 }, terms: ['sis:1', 'person:p'] },
        { collection: 'entries', key: 'a', value: { n: 1 }, terms: ['sis:1'] },
        { collection: 'other', key: 'a', value: 'x', terms: ['sis:1'] },
      ]);
      assert.equal(await s.position(g), 10n);
      assert.deepEqual(await s.findByTerm(g, 'entries', 'sis:1'), [
        { key: 'a', value: { n: 1 } },
        { key: 'b', value: { n: 2 } },
      ]);
      assert.deepEqual(await s.findByTerm(g, 'entries', 'person:p'), [{ key: 'b', value: { n: 2 } }]);
      assert.equal(await s.count(g, 'entries'), 2);
    });

    it('refuses a commit from a stale position and writes nothing of it', async () => {
      const m = nextModel();
      const s = await fresh();
      const g = await s.activeGeneration(m);
      await s.commit(g, 0n, 5n, [{ collection: 'c', key: 'k', value: 1 }]);
      await assert.rejects(s.commit(g, 0n, 7n, [{ collection: 'c', key: 'k', value: 2 }]), StalePositionError);
      assert.equal(await s.get(g, 'c', 'k'), 1);
      assert.equal(await s.position(g), 5n);
    });

    it('applies a batch as written one by one: last write wins, a delete clears terms, a put without terms keeps them', async () => {
      const m = nextModel();
      const s = await fresh();
      const g = await s.activeGeneration(m);
      await s.commit(g, 0n, 1n, [
        { collection: 'c', key: 'kept', value: 1, terms: ['t'] },
        { collection: 'c', key: 'gone', value: 1, terms: ['t'] },
      ]);
      await s.commit(g, 1n, 2n, [
        { collection: 'c', key: 'kept', value: 2 },
        { collection: 'c', key: 'gone', value: 2, terms: ['u'] },
        { collection: 'c', key: 'gone' },
        { collection: 'c', key: 'back', value: 1, terms: ['t'] },
        { collection: 'c', key: 'back' },
        { collection: 'c', key: 'back', value: 3 },
      ]);
      assert.deepEqual(await s.findByTerm(g, 'c', 't'), [{ key: 'kept', value: 2 }]);
      assert.deepEqual(await s.findByTerm(g, 'c', 'u'), []);
      assert.equal(await s.get(g, 'c', 'gone'), undefined);
      assert.equal(await s.get(g, 'c', 'back'), 3);
    });

    it('keeps values as JSON, unicode and nesting intact', async () => {
      const m = nextModel();
      const s = await fresh();
      const g = await s.activeGeneration(m);
      const value = { name: 'Åsa Öberg', list: [1, { deep: null }], text: 'quote " and \\ and \u0001' };
      await s.commit(g, 0n, 1n, [{ collection: 'c', key: 'k', value }]);
      assert.deepEqual(await s.get(g, 'c', 'k'), value);
    });

    it('keeps a byte array as bytes, read back as a Buffer, and replaces it as any value', async () => {
      const m = nextModel();
      const s = await fresh();
      const g = await s.activeGeneration(m);
      const bytes = Uint8Array.from([0, 1, 2, 255, 0x7b, 0x22]);
      await s.commit(g, 0n, 1n, [
        { collection: 'c', key: 'bytes', value: bytes.subarray(1) },
        { collection: 'c', key: 'json', value: { n: 1 } },
      ]);
      const read = await s.get(g, 'c', 'bytes');
      assert.ok(Buffer.isBuffer(read));
      assert.deepEqual([...(read as Buffer)], [1, 2, 255, 0x7b, 0x22]);
      assert.deepEqual(await s.get(g, 'c', 'json'), { n: 1 });
      await s.commit(g, 1n, 2n, [{ collection: 'c', key: 'bytes', value: 'text now' }]);
      assert.equal(await s.get(g, 'c', 'bytes'), 'text now');
    });

    it('rebuilds into a generation beside the active one, resumes it, and promotes it dropping the old rows', async () => {
      const m = nextModel();
      const s = await fresh();
      const old = await s.activeGeneration(m);
      await s.commit(old, 0n, 9n, [{ collection: 'c', key: 'k', value: 'old', terms: ['t'] }]);
      const rebuild = await s.rebuildGeneration(m);
      assert.equal(rebuild, `${m}#2`);
      assert.equal(await s.position(rebuild), 0n);
      await s.commit(rebuild, 0n, 4n, [{ collection: 'c', key: 'k', value: 'new', terms: ['t'] }]);
      assert.equal(await s.rebuildGeneration(m), rebuild, 'an interrupted rebuild is resumed');
      assert.equal(await s.activeGeneration(m), old, 'queries read the old generation until promotion');
      assert.equal(await s.get(old, 'c', 'k'), 'old');
      await s.promote(m, rebuild);
      assert.equal(await s.activeGeneration(m), rebuild);
      assert.equal(await s.position(rebuild), 4n);
      assert.deepEqual(await s.findByTerm(rebuild, 'c', 't'), [{ key: 'k', value: 'new' }]);
      assert.equal(await s.get(old, 'c', 'k'), undefined);
      assert.equal(await s.count(old, 'c'), 0);
      await assert.rejects(s.commit(old, 9n, 10n, []), StalePositionError, 'a projector still on the old generation is told');
      assert.equal(await s.rebuildGeneration(m), `${m}#3`);
    });

    it('keeps models apart', async () => {
      const m = nextModel();
      const s = await fresh();
      const a = await s.activeGeneration(`${m}a`);
      const b = await s.activeGeneration(`${m}b`);
      await s.commit(a, 0n, 3n, [{ collection: 'c', key: 'k', value: 'a', terms: ['t'] }]);
      assert.equal(await s.get(b, 'c', 'k'), undefined);
      assert.deepEqual(await s.findByTerm(b, 'c', 't'), []);
      assert.equal(await s.position(b), 0n);
    });

    it('is seen by another connection to the same database (another process)', async () => {
      const m = nextModel();
      const s = await fresh();
      const g = await s.activeGeneration(m);
      await s.commit(g, 0n, 42n, [{ collection: 'c', key: 'k', value: 1, terms: ['t'] }]);
      const again = await fresh();
      assert.equal(await again.position(await again.activeGeneration(m)), 42n);
      assert.deepEqual(await again.findByTerm(g, 'c', 't'), [{ key: 'k', value: 1 }]);
    });
  });
}
