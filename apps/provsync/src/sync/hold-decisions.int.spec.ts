import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { HOLD_DECISIONS_STREAM, type HoldPlaced, openHolds, SYNC_STREAM, type SyncEvent } from '@provsync/domain';
import { openEventStore } from '@provsync/event-store';
import { openReadModelStorage } from '@provsync/read-models';
import { HoldDecisions } from './hold-decisions.js';
import { readSyncState } from './read-sync-state.js';

const AT = '2026-08-14T08:00:00.000Z';
const placed = (holdId: string, key: string): HoldPlaced => ({
  type: 'HoldPlaced',
  data: { holdId, reason: { kind: 'mass-delete', limit: 'more than 0 objects' }, deletes: { person: 1 }, keys: [key], at: AT },
});

describe('operators\' hold decisions, on their own stream', () => {
  it('are folded with the sync stream in store order, by the plain reading and by the persisted model alike, and fed to a running sync once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'provsync-h13a-holds-'));
    const url = `sqlite:${join(dir, 'provsync.db')}`;
    const store = await openEventStore(url);
    const storage = await openReadModelStorage(url);
    try {
      const feed = new HoldDecisions(store);
      assert.deepEqual(await feed.take(0), []);
      await store.append([{ stream: SYNC_STREAM, events: [placed('hold-1', 'person:p1'), placed('hold-2', 'person:p2')], expectedRevision: 'no_stream' }]);
      const approved: SyncEvent = { type: 'HoldApproved', data: { holdId: 'hold-1', by: 'ann', at: AT } };
      await store.append([{ stream: HOLD_DECISIONS_STREAM, events: [approved], expectedRevision: 'no_stream' }]);
      for (const reading of [await readSyncState(store, undefined), await readSyncState(store, storage)]) {
        assert.deepEqual(openHolds(reading.state.holds).map((h) => h.holdId), ['hold-2']);
        assert.equal(reading.state.holds.approved.has('person:p1'), true);
        assert.equal(reading.revision, 1, 'the revision is the sync stream\'s own');
      }
      assert.deepEqual(await feed.take(500), [], 'looked less than a second ago');
      assert.deepEqual(await feed.take(1_000), [approved]);
      const rejected: SyncEvent = { type: 'HoldRejected', data: { holdId: 'hold-2', by: 'bo', at: AT } };
      await store.append([{ stream: HOLD_DECISIONS_STREAM, events: [rejected], expectedRevision: 0 }]);
      assert.deepEqual(await feed.take(2_000), [rejected], 'each decision once');
      assert.deepEqual(openHolds((await readSyncState(store, storage)).state.holds), []);
    } finally {
      await storage.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
