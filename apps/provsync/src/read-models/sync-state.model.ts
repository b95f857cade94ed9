import {
  evolveReconcile, evolveSync, HOLD_DECISIONS_STREAM, initialSyncState, isReconcileEvent, refKey, SYNC_RECORD_TYPES, SYNC_STREAM, type SyncEvent,
  type SyncRecord, type SyncState,
} from '@provsync/domain';
import type { EventStore, RecordedEvent } from '@provsync/event-store';
import type { ReadModel, RowChange, RowReader } from '@provsync/read-models';
import { codeFingerprint } from './code-fingerprint.js';
import { readSnapshotMeta, readSnapshotParts, snapshotRows } from './snapshot-rows.js';
import { decodeSyncState, encodeSyncState } from './sync-state-codec.js';

export const SYNC_STATE_MODEL = 'sync-state';

/** Per Skolverket object (`type:id`): what it acknowledged, what it refused, what is being sent. */
export const SYNC_COLLECTIONS = { acknowledged: 'acknowledged', parked: 'parked', inFlight: 'in-flight' } as const;

/** A catch-up snapshots the state at least this often (sync events; each submission carries its body, up to 200 KB). */
const SNAPSHOT_EVERY = 5_000;
/** Sync events carry bodies: read a few at a time. */
const PAGE = 50;

let fingerprint: string | undefined;
const syncFingerprint = (): string => (fingerprint ??= codeFingerprint(['libs/domain/src/sync', 'apps/provsync/src/read-models']));

/** The generation's snapshot was taken by other code: its rows and state are rebuilt from the events. */
export class SyncStateCodeChanged extends Error {
  readonly code = 'SYNC_STATE_CODE_CHANGED';
  constructor() {
    super('the sync state code changed since this read model was built: it is rebuilt from the events');
  }
}

/**
 * The sync's state as a persisted read model: the one fold of the sync stream (`evolveSync`), kept as a snapshot
 * committed with its position now and then, and per object rows of what Skolverket acknowledged (hash, job, time),
 * refused and is being sent. Starting reads the snapshot and folds only the events after it.
 */
export class SyncStateModel implements ReadModel {
  readonly name = SYNC_STATE_MODEL;
  readonly eventTypes = SYNC_RECORD_TYPES;
  readonly maxPage = PAGE;
  private state = initialSyncState();
  private revision: number | 'no_stream' = 'no_stream';
  private upTo = -1n;
  private sinceSnapshot = 0;
  private snapshotParts = 0;

  /** `snapshotEvery`: events between snapshots while catching up (tests take them often). */
  constructor(
    private readonly store: EventStore,
    private readonly snapshotEvery = SNAPSHOT_EVERY,
  ) {}

  get position(): bigint {
    return this.upTo;
  }

  get unsnapshotted(): number {
    return this.sinceSnapshot;
  }

  async project(page: readonly RecordedEvent[], rows: RowReader, from: bigint): Promise<RowChange[]> {
    try {
      await this.restore(from, rows);
      const changes: RowChange[] = [];
      for (const event of page) changes.push(...this.fold(event));
      this.upTo = page[page.length - 1]!.position;
      this.sinceSnapshot += page.length;
      if (from === 0n || this.sinceSnapshot >= this.snapshotEvery) changes.push(...this.snapshot());
      return changes;
    } catch (error) {
      this.invalidate();
      throw error;
    }
  }

  /** Brings the state to `position` of the generation `rows` reads: its snapshot, then the events after it. */
  async restore(position: bigint, rows: RowReader): Promise<void> {
    if (this.upTo === position) return;
    this.invalidate();
    const meta = await readSnapshotMeta(rows);
    if (meta && meta.fingerprint !== syncFingerprint()) throw new SyncStateCodeChanged();
    this.upTo = 0n;
    if (meta && BigInt(meta.position) <= position) {
      const [bytes] = await readSnapshotParts(rows, meta);
      const snapshot = bytes ? (JSON.parse(bytes.subarray(0, bytes.indexOf(0x0a)).toString()) as { revision: number | 'no_stream' }) : undefined;
      if (bytes && snapshot) {
        this.state = decodeSyncState(bytes.subarray(bytes.indexOf(0x0a) + 1));
        this.revision = snapshot.revision;
      }
      this.upTo = BigInt(meta.position);
    }
    this.snapshotParts = meta?.parts ?? 0;
    while (this.upTo < position) {
      const page = (await this.store.readAll({ after: this.upTo, limit: PAGE, types: this.eventTypes })).filter((e) => e.position <= position);
      if (page.length === 0) break;
      for (const event of page) this.fold(event);
      this.upTo = page[page.length - 1]!.position;
      this.sinceSnapshot += page.length;
    }
    this.upTo = position;
  }

  /**
   * Hands the state over (the sync folds its own events into it from here on) with the stream revision it is at;
   * the model restores itself from its snapshot when next asked.
   */
  takeState(): { state: SyncState; revision: number | 'no_stream' } {
    const taken = { state: this.state, revision: this.revision };
    this.invalidate();
    return taken;
  }

  snapshot(): RowChange[] {
    const head = Buffer.from(`${JSON.stringify({ revision: this.revision })}\n`);
    const rows = snapshotRows([Buffer.concat([head, encodeSyncState(this.state)])], this.upTo, syncFingerprint(), this.snapshotParts);
    this.snapshotParts = 1;
    this.sinceSnapshot = 0;
    return rows;
  }

  invalidate(): void {
    this.state = initialSyncState();
    this.revision = 'no_stream';
    this.upTo = -1n;
    this.sinceSnapshot = 0;
  }

  /** A completed reconcile resets what is acknowledged (and unparks what it found done): those objects' rows. */
  private foldReconcile(changed: string[], event: RecordedEvent): RowChange[] {
    this.revision = event.revision;
    const { at } = event.data as { at?: string };
    return changed.flatMap((key): RowChange[] => {
      const ack = this.state.acknowledged.get(key);
      const parked = this.state.parked.get(key);
      return [
        { collection: SYNC_COLLECTIONS.acknowledged, key, value: ack && { hash: ack.hash, at } },
        { collection: SYNC_COLLECTIONS.parked, key, value: parked && { operation: parked.operation, hash: parked.hash, messages: parked.messages, at } },
      ];
    });
  }

  /** Folds one event; the rows of the objects it touched, as the state now has them. */
  private fold(event: RecordedEvent): RowChange[] {
    // Operators' hold decisions (`provsync holds`) are on a stream of their own, folded in store order like readSyncState.
    if (event.stream === HOLD_DECISIONS_STREAM) {
      evolveSync(this.state, { type: event.type, data: event.data } as SyncEvent);
      return [];
    }
    if (event.stream !== SYNC_STREAM) return [];
    const sync = { type: event.type, data: event.data } as SyncRecord;
    if (isReconcileEvent(sync)) return this.foldReconcile(evolveReconcile(this.state, sync), event);
    const batchId = (event.data as { batchId?: string }).batchId;
    const batch = batchId === undefined ? undefined : this.state.openBatches.get(batchId);
    const items = sync.type === 'BatchSubmissionStarted' ? sync.data : batch;
    const keys = items?.items.map((item) => refKey({ type: items.objectType, id: item.id })) ?? [];
    const before = keys.map((key) => [this.state.acknowledged.get(key), this.state.parked.get(key)] as const);
    evolveSync(this.state, sync);
    this.revision = event.revision;
    const { jobId, at } = event.data as { jobId?: string; at?: string };
    const rows: RowChange[] = [];
    for (const [i, key] of keys.entries()) {
      const ack = this.state.acknowledged.get(key);
      const parked = this.state.parked.get(key);
      const inFlight = this.state.inFlight.get(key);
      // Written when the answer changed them: an acknowledgement keeps the job and time it came with.
      if (ack !== before[i]![0]) rows.push({ collection: SYNC_COLLECTIONS.acknowledged, key, value: ack && { hash: ack.hash, jobId, at } });
      if (parked !== before[i]![1]) {
        rows.push({ collection: SYNC_COLLECTIONS.parked, key, value: parked && { operation: parked.operation, hash: parked.hash, messages: parked.messages, at } });
      }
      const open = inFlight === undefined ? undefined : this.state.openBatches.get(inFlight);
      rows.push({ collection: SYNC_COLLECTIONS.inFlight, key, value: open && { batchId: inFlight, operation: open.operation, jobId: open.jobId, startedAt: open.startedAt } });
    }
    return rows;
  }
}
