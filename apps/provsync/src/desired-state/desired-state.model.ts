import {
  desiredKey,
  DesiredStateProjection,
  type ReferenceData,
  refKey,
  SIS_CHANGE_RECORDED,
  type SisChange,
  type SisChangeRecorded,
} from '@provsync/domain';
import type { EventStore, RecordedEvent } from '@provsync/event-store';
import type { ReadModel, RowChange, RowReader } from '@provsync/read-models';
import { OBJECT_TYPES, type ObjectType } from '@provsync/skolverket-api';
import { codeFingerprint } from '../read-models/code-fingerprint.js';
import { readSnapshotMeta, readSnapshotParts, snapshotRows } from '../read-models/snapshot-rows.js';
import { decodeProjection, encodeProjection } from './projection-codec.js';
import { REFERENCE_READ } from './reference-data-store.js';

export const DESIRED_STATE_MODEL = 'desired-state';

/** The collection of one type's desired objects: key the Skolverket id, value what the sync compares and counts. */
export const desiredCollection = (type: ObjectType): string => `desired:${type}`;

/** One desired object as its row holds it (the body is made from the SIS objects when sent: see `explain`). */
export interface DesiredRow {
  hash: string;
  /** `type:id` of the objects it refers to. */
  refs: string[];
  bytes: number;
}

/** A long catch-up (a replay, a first start on a long history) takes a snapshot at least this often. */
const SNAPSHOT_EVERY = 100_000;
const PAGE = 2_000;

/** The code a snapshot's meaning rests on: the rules, the SIS and reference shapes, this model and its codec. */
let fingerprint: string | undefined;
export const desiredStateFingerprint = (): string =>
  (fingerprint ??= codeFingerprint([
    'libs/domain/src/desired-state',
    'libs/domain/src/sis',
    'libs/domain/src/reference',
    'apps/provsync/src/desired-state',
    'apps/provsync/src/read-models',
  ]));

/** The generation's snapshot was taken by other code (a rule changed): its rows are not this code's answer. */
export class DesiredStateCodeChanged extends Error {
  readonly code = 'DESIRED_STATE_CODE_CHANGED';
  constructor() {
    super('the desired-state rules changed since this read model was built: it is rebuilt from the events');
  }
}

/**
 * The desired state as a persisted read model: per Skolverket object a row (hash, refs, size), and the projection's
 * whole state as a snapshot now and then, in the same commit as the position. The projection lives in memory; a
 * process that starts reads the snapshot back and applies only the events after it, never the whole history.
 *
 * Its inputs are the store's events in order: each recorded SIS change, and each `ReferenceDataRead` (nothing is
 * decided before the first, as in the audit index). "Today" is the clock's Stockholm date (`today`), as for the sync.
 */
export class DesiredStateModel implements ReadModel {
  readonly name = DESIRED_STATE_MODEL;
  readonly eventTypes = [SIS_CHANGE_RECORDED, REFERENCE_READ] as const;
  private projection?: DesiredStateProjection;
  private upTo = -1n;
  /** Events applied since the last snapshot, and how many parts that one has (to drop the extra ones). */
  private sinceSnapshot = 0;
  private snapshotParts = 0;
  /** Keys changed since `takeChanged`, once someone asks (the sync). */
  private changed?: Set<string>;

  /** `snapshotEvery`: events between snapshots while catching up (tests take them often). */
  constructor(
    private readonly store: EventStore,
    private readonly today: () => string,
    private readonly snapshotEvery = SNAPSHOT_EVERY,
  ) {}

  /** The projection, once the model is at a position (undefined before the first reference data). */
  get current(): DesiredStateProjection | undefined {
    return this.projection;
  }

  get position(): bigint {
    return this.upTo;
  }

  get unsnapshotted(): number {
    return this.sinceSnapshot;
  }

  async project(page: readonly RecordedEvent[], rows: RowReader, from: bigint): Promise<RowChange[]> {
    try {
      await this.restore(from, rows);
      const changed = this.advance(page, await this.firstReference(page));
      this.upTo = page[page.length - 1]!.position;
      this.sinceSnapshot += page.length;
      const changes = this.rowsFor(changed);
      // The first page of a generation writes one too: the fingerprint of the code that made its rows.
      if (from === 0n || this.sinceSnapshot >= this.snapshotEvery) changes.push(...this.snapshot());
      return changes;
    } catch (error) {
      this.invalidate();
      throw error;
    }
  }

  /**
   * Brings the in-memory projection to `position` of the generation `rows` reads: from its snapshot, then the
   * events after it (their rows are committed already). Nothing to do when it is there.
   */
  async restore(position: bigint, rows: RowReader): Promise<void> {
    if (this.upTo === position) return;
    this.invalidate();
    const meta = await readSnapshotMeta(rows);
    if (meta && meta.fingerprint !== desiredStateFingerprint()) throw new DesiredStateCodeChanged();
    this.upTo = 0n;
    if (meta && BigInt(meta.position) <= position) {
      const parts = await readSnapshotParts(rows, meta);
      if (parts.length) this.projection = DesiredStateProjection.fromState(decodeProjection(parts));
      this.upTo = BigInt(meta.position);
    }
    this.snapshotParts = meta?.parts ?? 0;
    while (this.upTo < position) {
      const page = (await this.store.readAll({ after: this.upTo, limit: PAGE, types: this.eventTypes })).filter((e) => e.position <= position);
      if (page.length === 0) break;
      this.advance(page, await this.firstReference(page));
      this.upTo = page[page.length - 1]!.position;
      this.sinceSnapshot += page.length;
    }
    this.upTo = position;
  }

  /** Moves "today" to the clock's date; the rows of the objects whose decision flipped (the caller commits them). */
  moveToday(): RowChange[] {
    const changed = this.projection?.setToday(this.today()) ?? new Set<string>();
    this.note(changed);
    return this.rowsFor(changed);
  }

  /** The snapshot rows of the state as it is now (at `position`): commit them at that position. */
  snapshot(): RowChange[] {
    const parts = this.projection ? encodeProjection(this.projection.exportState()) : [];
    const rows = snapshotRows(parts, this.upTo, desiredStateFingerprint(), this.snapshotParts);
    this.snapshotParts = parts.length;
    this.sinceSnapshot = 0;
    return rows;
  }

  /** Keys (`type:id`) of desired objects changed since the last call (noted from the first call on). */
  takeChanged(): Set<string> {
    const changed = this.changed ?? new Set();
    this.changed = new Set();
    return changed;
  }

  /** After a failed commit or page: the projection may be ahead of the rows, so it is restored when next needed. */
  invalidate(): void {
    this.projection = undefined;
    this.upTo = -1n;
    this.sinceSnapshot = 0;
  }

  /** Applies a page to the projection; returns the desired keys it changed. */
  private advance(page: readonly RecordedEvent[], first?: { position: bigint; projection: DesiredStateProjection }): Set<string> {
    const changed = new Set<string>();
    const add = (keys: Set<string>) => keys.forEach((key) => changed.add(key));
    if (this.projection) add(this.projection.setToday(this.today()));
    let pending: SisChange[] = [];
    const flush = () => {
      if (pending.length && this.projection) add(this.projection.applyAll(pending));
      pending = [];
    };
    for (const event of page) {
      if (event.type === SIS_CHANGE_RECORDED) {
        if (this.projection) pending.push((event.data as SisChangeRecorded['data']).change);
      } else {
        flush();
        if (this.projection) add(this.projection.setReference((event.data as { reference: ReferenceData }).reference));
        else if (first?.position === event.position) {
          // The first reference data: everything recorded before it becomes decidable at once.
          this.projection = first.projection;
          for (const type of OBJECT_TYPES) for (const o of this.projection.values(type)) changed.add(desiredKey(type, o.id));
        }
      }
    }
    flush();
    this.note(changed);
    return changed;
  }

  /** Before the first reference data in `page` (when there is none yet): a projection of every SIS change before it. */
  private async firstReference(page: readonly RecordedEvent[]): Promise<{ position: bigint; projection: DesiredStateProjection } | undefined> {
    if (this.projection) return undefined;
    const event = page.find((e) => e.type === REFERENCE_READ);
    if (!event) return undefined;
    const projection = new DesiredStateProjection((event.data as { reference: ReferenceData }).reference, this.today());
    for (let after = 0n; ; ) {
      const changes = (await this.store.readAll({ after, limit: PAGE, types: [SIS_CHANGE_RECORDED] })).filter((e) => e.position < event.position);
      projection.applyAll(changes.map((e) => (e.data as SisChangeRecorded['data']).change));
      if (changes.length < PAGE) break;
      after = changes[changes.length - 1]!.position;
    }
    return { position: event.position, projection };
  }

  private rowsFor(changed: Set<string>): RowChange[] {
    const rows: RowChange[] = [];
    for (const key of changed) {
      const colon = key.indexOf(':');
      const type = key.slice(0, colon) as ObjectType;
      const id = key.slice(colon + 1);
      const object = this.projection?.get(type, id);
      const value: DesiredRow | undefined = object && { hash: object.hash, refs: object.refs.map(refKey), bytes: object.bytes };
      rows.push({ collection: desiredCollection(type), key: id, value });
    }
    return rows;
  }

  private note(changed: Set<string>): void {
    if (this.changed) for (const key of changed) this.changed.add(key);
  }
}
