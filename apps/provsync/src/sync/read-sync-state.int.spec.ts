import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SYNC_STREAM, type SyncEvent } from '@provsync/domain';
import { openEventStore } from '@provsync/event-store';
import { syncReport } from '../demo/sync-report.js';
import { readSyncState } from './read-sync-state.js';

const AT = '2026-08-14T08:00:00.000Z';

describe('the one reading of the sync stream', () => {
  it('folds every page of the stream, at its last revision, and the demo report reads the same fold', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'provsync-read-sync-'));
    const store = await openEventStore(`sqlite:${join(dir, 'provsync.db')}`);
    try {
      const events: SyncEvent[] = [];
      for (let n = 0; n < 40; n++) {
        const batchId = `b${n}`;
        const items = [{ id: `p${n}`, hash: 'h', refs: [] }];
        events.push({ type: 'BatchSubmissionStarted', data: { batchId, objectType: 'person', operation: 'upsert', items, body: [{}], at: AT } });
        events.push({ type: 'BatchAccepted', data: { batchId, jobId: `j${n}`, at: AT } });
        const results = n === 0 ? [{ id: 'p0', status: 'Error' as const, errors: [{ message: 'civicNo: invalid' }] }] : [];
        if (n < 39) events.push({ type: 'JobResultsRecorded', data: { batchId, jobId: `j${n}`, results, at: AT } });
      }
      events.push({ type: 'SkolverketUnavailable', data: { reason: '503', at: AT } });
      let revision: number | 'no_stream' = 'no_stream';
      for (const e of events) revision = (await store.append([{ stream: SYNC_STREAM, events: [e], expectedRevision: revision }])).revisions[SYNC_STREAM]!;

      const read = await readSyncState(store);
      assert.equal(read.revision, events.length - 1);
      assert.equal(read.state.acknowledged.size, 38);
      assert.deepEqual([...read.state.parked.keys()], ['person:p0']);
      assert.deepEqual([...read.state.openBatches.keys()], ['b39'], 'the last batch is still awaited');
      assert.equal(read.state.availability.available, false);

      const report = await syncReport(store);
      assert.deepEqual(report.byType.person, { sent: 40, accepted: 38, warnings: 0, errors: 1, temporaryErrors: 0 });
      assert.deepEqual(report.messages, [{ type: 'person', status: 'Error', message: 'civicNo: invalid', count: 1 }]);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
