import { evolveSyncRecord, initialSyncState, SYNC_RECORD_TYPES, SYNC_STREAM, type SyncRecord, type SyncState } from '@provsync/domain';
import { HOLD_DECISIONS_STREAM } from '@provsync/domain';
import type { EventStore } from '@provsync/event-store';
import { catchUpActive, type ReadModelStorage, replayModel, rowReader, StalePositionError } from '@provsync/read-models';
import { SyncStateCodeChanged, SyncStateModel } from '../read-models/sync-state.model.js';

const PAGE = 50;

/**
 * The one reading of the sync stream, for the sync, `provsync status` and the demo report: its state and the
 * revision it was read at. A page at a time: every submission carries its body (up to 200 KB), and the state
 * keeps only the bodies of batches Skolverket has not accepted yet; reading the whole stream at once held them all.
 */
export async function readSyncState(
  store: EventStore,
  storage = persistedFor.get(store),
): Promise<{ state: SyncState; revision: number | 'no_stream' }> {
  if (storage) return readPersistedSyncState(store, storage);
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

/** Stores whose sync state every reader takes from the persisted model (see `readSyncStateFromModels`). */
const persistedFor = new WeakMap<EventStore, ReadModelStorage>();

/**
 * From now on (until `undefined` is given) the sync state of `store` is read from the persisted model in `storage`:
 * the sync runtime says so once, for every reader it wires (the sync, a new leader's sync, the reports).
 */
export function readSyncStateFromModels(store: EventStore, storage: ReadModelStorage | undefined): void {
  if (storage) persistedFor.set(store, storage);
  else persistedFor.delete(store);
}

/**
 * The same state from the persisted sync-state model: its snapshot and the events after it (committing their rows),
 * not the whole stream. Rebuilt from the first event when the snapshot was written by other code.
 */
async function readPersistedSyncState(store: EventStore, storage: ReadModelStorage): Promise<{ state: SyncState; revision: number | 'no_stream' }> {
  const model = new SyncStateModel(store);
  await catchUpSyncState(store, storage, model);
  return model.takeState();
}

/** A tail of at least this many sync events is snapshotted once caught up (a snapshot costs about what 1,000 events cost to read). */
const SNAPSHOT_FROM = 1_000;

/** Brings the persisted sync-state model up to the store's end, its state in memory at that position. */
export async function catchUpSyncState(store: EventStore, storage: ReadModelStorage, model = new SyncStateModel(store)): Promise<SyncStateModel> {
  for (let attempt = 0; ; attempt++) {
    try {
      const generation = await catchUpActive(store, storage, model, { pageSize: PAGE });
      const position = await storage.position(generation);
      await model.restore(position, rowReader(storage, generation));
      if (model.unsnapshotted >= SNAPSHOT_FROM) await storage.commit(generation, position, position, model.snapshot());
      return model;
    } catch (error) {
      model.invalidate();
      if (error instanceof SyncStateCodeChanged && attempt === 0) await replayModel(store, storage, model, { pageSize: PAGE });
      else if (!(error instanceof StalePositionError) || attempt >= 5) throw error;
    }
  }
}
