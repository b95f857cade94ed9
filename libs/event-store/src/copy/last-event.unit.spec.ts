import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ReadAllOptions, RecordedEvent } from '../event-store.port.js';
import { findLastEvent } from './last-event.js';

/** A store's readAll over given positions (the only neighbour findLastEvent has), counting its reads. */
function storeAt(positions: readonly bigint[]) {
  const events = positions.map((position, i): RecordedEvent => ({ stream: 's', revision: i, position, type: 'T', data: {}, metadata: {}, recordedAt: '' }));
  const store = {
    reads: 0,
    async readAll({ after, limit }: ReadAllOptions) {
      store.reads++;
      return events.filter((e) => e.position > after).slice(0, limit);
    },
  };
  return store;
}

describe('findLastEvent', () => {
  it('finds the last of dense positions, as SQLite and PostgreSQL give them', async () => {
    for (const n of [1, 2, 3, 7, 8, 9, 1000]) {
      const store = storeAt(Array.from({ length: n }, (_, i) => BigInt(i + 1)));
      assert.equal((await findLastEvent(store))?.position, BigInt(n));
    }
  });

  it('finds the last of sparse, huge positions in about two reads per bit, not one per event', async () => {
    // KurrentDB-like: (commit << 64 | prepare), far apart and irregular.
    const positions = Array.from({ length: 5000 }, (_, i) => (BigInt(1000 + i * 337) << 64n) | BigInt(1000 + i * 337 + (i % 3)));
    const store = storeAt(positions);
    assert.equal((await findLastEvent(store))?.position, positions.at(-1));
    assert.ok(store.reads < 2 * 90 + 4, `${store.reads} reads`);
  });

  it('says there is none in an empty store, and asks the store itself when it can tell', async () => {
    assert.equal(await findLastEvent(storeAt([])), undefined);
    const last: RecordedEvent = { stream: 's', revision: 0, position: 9n, type: 'T', data: {}, metadata: {}, recordedAt: '' };
    const knowing = { readAll: async () => assert.fail('not probed'), lastEvent: async () => last };
    assert.equal(await findLastEvent(knowing), last);
  });
});
