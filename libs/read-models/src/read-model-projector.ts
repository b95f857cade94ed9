import { type EventStore, findLastEvent, type RecordedEvent } from '@provsync/event-store';
import { type Generation, type ReadModelStorage, type RowChange, StalePositionError, type StoredRow } from './read-model-storage.port.js';

/** What a model may read while projecting a page: its generation as it stood before the page. */
export interface RowReader {
  get(collection: string, key: string): Promise<unknown | undefined>;
  /** Reads a row without keeping it (a large row read once, e.g. a snapshot a model restores itself from). */
  peek(collection: string, key: string): Promise<unknown | undefined>;
  findByTerm(collection: string, term: string): Promise<StoredRow[]>;
}

/**
 * A persisted read model: a pure-ish function from a page of events (and the rows it already holds) to row changes.
 * Everything it writes is keyed by what it was made from (e.g. the event's position), so applying a page again
 * after a crash writes the same rows.
 */
export interface ReadModel {
  readonly name: string;
  /** The event types it reads (all others are skipped by the store). */
  readonly eventTypes: readonly string[];
  /** At most this many events a page, whoever asks for more (events that carry large bodies). */
  readonly maxPage?: number;
  /**
   * The row changes for `page`, whose events all come after `from`. A model that keeps state in memory besides its
   * rows must bring it to `from` first (it may have been moved by another process, or be a different generation).
   */
  project(page: readonly RecordedEvent[], rows: RowReader, from: bigint): Promise<RowChange[]>;
}

export interface CatchUpOptions {
  /** Events read and committed at a time: one short transaction each (SQLite: the store's writer waits meanwhile). */
  pageSize?: number;
  /** After each committed page: the position reached and events applied so far. */
  onPage?: (progress: { position: bigint; applied: number }) => void;
  /** Stop after this many pages (tests; a caller that wants to yield). */
  maxPages?: number;
}

const DEFAULT_PAGE = 500;
/** A replay writes a generation nobody reads yet: fewer, larger transactions (each still bounded: the store's writer waits for it). */
const REPLAY_PAGE = 2_000;

export function rowReader(storage: ReadModelStorage, generation: Generation): RowReader {
  return {
    get: (collection, key) => storage.get(generation, collection, key),
    peek: (collection, key) => storage.get(generation, collection, key),
    findByTerm: (collection, term) => storage.findByTerm(generation, collection, term),
  };
}

/**
 * A row reader that remembers, for one run of a projector over one generation, the rows it read and the rows it
 * committed, so a later page reads them without a database round trip (replay: 3-4 reads per event). It holds
 * the rows as their stored JSON text, so the model sees exactly what a fresh read would give. It is valid only
 * while this run is the generation's one writer, which every commit checks (StalePositionError ends the run).
 *
 * Written rows are kept only for collections the model reads by key (an index it only writes costs no memory).
 * A run that starts on an empty generation (position 0: nothing was ever committed to it) knows every row there
 * is: a key it has not seen is absent, no read needed, until the cache overflows or skips a written row.
 */
export class CachedRowReader implements RowReader {
  private readonly rows = new Map<string, string | undefined>();
  private readonly read = new Set<string>();
  private readonly skipped = new Set<string>();

  constructor(
    private readonly storage: ReadModelStorage,
    private readonly generation: Generation,
    private complete: boolean,
    private readonly limit = 200_000,
  ) {}

  async get(collection: string, key: string): Promise<unknown | undefined> {
    const id = `${collection}\u0000${key}`;
    this.read.add(collection);
    if (this.rows.has(id)) {
      const text = this.rows.get(id);
      return text === undefined ? undefined : JSON.parse(text);
    }
    if (this.complete && !this.skipped.has(collection)) return undefined;
    const value = await this.storage.get(this.generation, collection, key);
    this.remember(id, value === undefined ? undefined : JSON.stringify(value));
    return value;
  }

  peek(collection: string, key: string): Promise<unknown | undefined> {
    return this.storage.get(this.generation, collection, key);
  }

  findByTerm(collection: string, term: string): Promise<StoredRow[]> {
    return this.storage.findByTerm(this.generation, collection, term);
  }

  /** After a successful commit: its rows are what the generation now holds. */
  committed(changes: readonly RowChange[]): void {
    for (const change of changes) {
      const id = `${change.collection}\u0000${change.key}`;
      if (!this.read.has(change.collection)) {
        this.skipped.add(change.collection);
        this.rows.delete(id);
      } else this.remember(id, change.value === undefined ? undefined : JSON.stringify(change.value));
    }
  }

  private remember(id: string, text: string | undefined): void {
    // Bounded memory: past the limit, start again (a miss then costs one indexed read).
    if (this.rows.size >= this.limit && !this.rows.has(id)) {
      this.rows.clear();
      this.complete = false;
    }
    this.rows.set(id, text);
  }
}

/**
 * Applies every event after the generation's position, a page per transaction, until the store's end. Returns the
 * position reached. A StalePositionError (another projector moved the generation) is passed on: the caller reads
 * the position again and retries, or gives up.
 */
export async function catchUpGeneration(
  store: EventStore,
  storage: ReadModelStorage,
  generation: Generation,
  model: ReadModel,
  options: CatchUpOptions = {},
): Promise<bigint> {
  const pageSize = Math.min(options.pageSize ?? DEFAULT_PAGE, model.maxPage ?? Infinity);
  let position = await storage.position(generation);
  let applied = 0;
  const rows = new CachedRowReader(storage, generation, position === 0n);
  for (let pages = 0; options.maxPages === undefined || pages < options.maxPages; pages++) {
    const page = await store.readAll({ after: position, limit: pageSize, types: model.eventTypes });
    if (page.length === 0) break;
    const changes = await model.project(page, rows, position);
    const next = page[page.length - 1]!.position;
    await storage.commit(generation, position, next, changes);
    rows.committed(changes);
    position = next;
    applied += page.length;
    options.onPage?.({ position, applied });
    if (page.length < pageSize) break;
  }
  return position;
}

/**
 * Brings the model's active generation up to the store's end. Should a replay promote a new generation meanwhile
 * (or another process commit first), it reads the active generation again and goes on from there.
 */
export async function catchUpActive(store: EventStore, storage: ReadModelStorage, model: ReadModel, options: CatchUpOptions = {}): Promise<Generation> {
  for (let attempt = 0; ; attempt++) {
    const generation = await storage.activeGeneration(model.name);
    try {
      await catchUpGeneration(store, storage, generation, model, options);
      return generation;
    } catch (error) {
      if (!(error instanceof StalePositionError) || attempt >= 10) throw error;
    }
  }
}

export interface ReplayProgress {
  model: string;
  generation: Generation;
  position: bigint;
  applied: number;
  /** The store's last position when the replay started (it grows meanwhile: ingestion goes on). */
  target: bigint;
}

/**
 * Rebuilds a model from the first event into a fresh generation beside the active one (resuming an interrupted
 * rebuild where it stopped), then makes it the active one once it has reached the store's end. Queries keep
 * reading the old generation, and ingestion goes on, until then.
 */
export async function replayModel(
  store: EventStore,
  storage: ReadModelStorage,
  model: ReadModel,
  options: { pageSize?: number; onProgress?: (progress: ReplayProgress) => void } = {},
): Promise<Generation> {
  const generation = await storage.rebuildGeneration(model.name);
  // The last event the model reads: the store's last-event search over a view of those types alone.
  const target = (await findLastEvent({ readAll: (options) => store.readAll({ ...options, types: model.eventTypes }) }))?.position ?? 0n;
  await catchUpGeneration(store, storage, generation, model, {
    pageSize: options.pageSize ?? REPLAY_PAGE,
    onPage: ({ position, applied }) => options.onProgress?.({ model: model.name, generation, position, applied, target }),
  });
  await storage.promote(model.name, generation);
  return generation;
}
