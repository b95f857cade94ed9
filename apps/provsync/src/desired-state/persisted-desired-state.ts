import { type DesiredItem, desiredKey, type DesiredStateProjection } from '@provsync/domain';
import { OBJECT_TYPES } from '@provsync/skolverket-api';
import type { EventStore } from '@provsync/event-store';
import {
  catchUpActive,
  type Generation,
  type ReadModelStorage,
  replayModel,
  rowReader,
  StalePositionError,
} from '@provsync/read-models';
import { stockholmDate } from '../clock.js';
import { readSnapshotMeta, readSnapshotParts } from '../read-models/snapshot-rows.js';
import { DesiredStateCodeChanged, DesiredStateModel, desiredStateFingerprint } from './desired-state.model.js';
import { decodeDesiredPart } from './projection-codec.js';
import { DesiredView } from './desired-view.js';

/** A running process snapshots the projection at most this often (and when it closes): a restart then applies little. */
const SNAPSHOT_AT_MOST_EVERY_MS = 60_000;

/**
 * The desired state for the sync, `status` and `explain`, started from the persisted read model: its snapshot and
 * the events after it, never the whole history. Each `catchUp` commits the rows of what was recorded since, so
 * other processes (`status`, a restart) find them.
 */
export class PersistedDesiredState {
  readonly model: DesiredStateModel;
  private generation?: Generation;
  private live?: DesiredView;
  private snapshotAt = 0;

  /**
   * `snapshotFrom`: events applied since the last snapshot before a catch-up commits one (a one-shot command such as
   * `status` leaves a short tail to the next process rather than spend seconds on a snapshot).
   */
  constructor(
    private readonly store: EventStore,
    private readonly storage: ReadModelStorage,
    private readonly now: () => Date = () => new Date(),
    private readonly snapshotFrom = 1,
  ) {
    this.model = new DesiredStateModel(store, () => stockholmDate(this.now()));
  }

  /** The projection (undefined until Skolverket's reference data has been read once). */
  get current(): DesiredStateProjection | undefined {
    return this.model.current;
  }

  /** Applies and commits what was recorded since; rebuilds the model when its rules changed. */
  async catchUp(): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        this.generation = await catchUpActive(this.store, this.storage, this.model);
        const position = await this.storage.position(this.generation);
        await this.model.restore(position, rowReader(this.storage, this.generation));
        const flipped = this.model.moveToday();
        if (flipped.length) await this.storage.commit(this.generation, position, position, flipped);
        if (this.model.unsnapshotted >= this.snapshotFrom && this.now().getTime() - this.snapshotAt >= SNAPSHOT_AT_MOST_EVERY_MS) await this.checkpoint();
        return;
      } catch (error) {
        this.model.invalidate();
        if (error instanceof DesiredStateCodeChanged && attempt === 0) await replayModel(this.store, this.storage, this.model);
        else if (!(error instanceof StalePositionError) || attempt >= 5) throw error;
      }
    }
  }

  /** Commits a snapshot of the projection at its position, if anything was applied since the last one. */
  async checkpoint(): Promise<void> {
    if (!this.generation || this.model.unsnapshotted === 0) return;
    const position = this.model.position;
    this.snapshotAt = this.now().getTime();
    try {
      await this.storage.commit(this.generation, position, position, this.model.snapshot());
    } catch (error) {
      this.model.invalidate();
      if (!(error instanceof StalePositionError)) throw error;
    }
  }

  /**
   * The desired objects (hash, refs, size; no body) from the snapshot's first part alone, when the model has applied
   * every event and its snapshot is at its position, of today: what `status` needs, without the projection.
   * `undefined` when that is not so (the caller catches up instead); `null` before the first reference data.
   */
  async desiredIfCurrent(): Promise<ReadonlyMap<string, DesiredItem> | null | undefined> {
    const generation = await this.storage.activeGeneration(this.model.name);
    const position = await this.storage.position(generation);
    if (position === 0n || (await this.store.readAll({ after: position, limit: 1, types: this.model.eventTypes })).length) return undefined;
    const rows = rowReader(this.storage, generation);
    const meta = await readSnapshotMeta(rows);
    if (!meta || BigInt(meta.position) !== position || meta.fingerprint !== desiredStateFingerprint()) return undefined;
    if (meta.parts === 0) return null;
    const [first] = await readSnapshotParts(rows, { ...meta, parts: 1 });
    const { today, desired } = decodeDesiredPart(first!);
    if (today !== stockholmDate(this.now())) return undefined;
    const items = new Map<string, DesiredItem>();
    for (const type of OBJECT_TYPES) {
      for (const [id, d] of desired[type]) items.set(desiredKey(type, id), { type, id, hash: d.hash, refs: d.refs, bytes: d.bytes, body: undefined });
    }
    return items;
  }

  /** Keys (`type:id`) of desired objects added, changed or removed since the last call. */
  takeChanged(): Set<string> {
    return this.model.takeChanged();
  }

  /** The desired objects as one live map (a view of the projection); changes are noted from the first call on. */
  liveDesired(): ReadonlyMap<string, DesiredItem> {
    if (!this.live) {
      this.live = new DesiredView(() => {
        const projection = this.model.current;
        if (!projection) throw new Error("the desired state is not known before Skolverket's reference data has been read");
        return projection;
      });
      this.model.takeChanged();
    }
    return this.live;
  }
}
