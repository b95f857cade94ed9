import { evolveSyncRecord, initialSyncState, SYNC_RECORD_TYPES, SYNC_STREAM, type SyncRecord, type SyncState } from '@provsync/domain';
import { HOLD_DECISIONS_STREAM } from '@provsync/domain';
import type { EventStore } from '@provsync/event-store';

const PAGE = 50;

/**
 * The one reading of the sync stream, for the sync, `provsync status` and the demo report: its state and the
 * revision it was read at. A page at a time: every submission carries its body (up to 200 KB), and the state
 * keeps only the bodies of batches Skolverket has not accepted yet; reading the whole stream at once held them all.
 */
export async function readSyncState(store: EventStore): Promise<{ state: SyncState; revision: number | 'no_stream' }> {
  const state = initialSyncState();
  let revision: number | 'no_stream' = 'no_stream';
  for (let after = 0n; ; ) {
    const page = await store.readAll({ after, limit: PAGE, types: SYNC_RECORD_TYPES });
    for (const e of page) {
      // Operators' hold decisions have a stream of their own (one writer per stream), folded in store order.
      if (e.stream !== SYNC_STREAM && e.stream !== HOLD_DECISIONS_STREAM) continue;
      evolveSyncRecord(state, { type: e.type, data: e.data } as SyncRecord);
      if (e.stream === SYNC_STREAM) revision = e.revision;
    }
    if (page.length < PAGE) break;
    after = page[page.length - 1]!.position;
  }
  return { state, revision };
}
