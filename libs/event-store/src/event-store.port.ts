/**
 * The event store port: every store (embedded SQLite, PostgreSQL, KurrentDB) implements exactly this,
 * and passes the contract suite in event-store.contract.ts.
 */
export interface NewEvent<Data = unknown> {
  type: string;
  data: Data;
  metadata?: Record<string, unknown>;
  /**
   * Store-wide de-duplication key (e.g. the SIS event's source + id). An event whose key is already
   * stored is not stored again; the append reports it in `duplicates` instead.
   */
  idempotencyKey?: string;
}

export interface RecordedEvent<Data = unknown> {
  stream: string;
  /** 0-based position within its stream. */
  revision: number;
  /** Position in the store's global order; strictly increasing in commit order. */
  position: bigint;
  type: string;
  data: Data;
  metadata: Record<string, unknown>;
  /** ISO-8601 time at which the store recorded the event. */
  recordedAt: string;
  /** The key the event was stored under, when it was appended with one. */
  idempotencyKey?: string;
}

/** What `importEvents` did: events written, and events skipped because their stream already held that revision. */
export interface ImportResult {
  imported: number;
  skipped: number;
}

/** `no_stream`: the stream must not exist yet; a number: the stream's last revision must be exactly this. */
export type ExpectedRevision = number | 'no_stream' | 'any';

export interface StreamWrite {
  stream: string;
  events: NewEvent[];
  expectedRevision: ExpectedRevision;
}

export interface AppendResult {
  /** Last revision of each written stream that exists after the append (streams whose every event was a duplicate included). */
  revisions: Record<string, number>;
  /** Idempotency keys of the events skipped because that key was already stored. */
  duplicates: string[];
}

export class WrongExpectedRevisionError extends Error {
  readonly code = 'WRONG_EXPECTED_REVISION';
  constructor(
    readonly stream: string,
    readonly expected: ExpectedRevision,
    readonly actual: number | 'no_stream',
  ) {
    super(`stream ${stream}: expected revision ${expected}, but it is at ${actual}`);
  }
}

export interface ReadAllOptions {
  /** Read events whose position is greater than this; 0n reads from the start. */
  after: bigint;
  limit: number;
  /** Only events of these types (all when absent). */
  types?: readonly string[];
}

export interface Subscription {
  close(): Promise<void>;
}

export interface EventStore {
  /**
   * Appends to several streams atomically: all writes are stored, or none (then it throws
   * WrongExpectedRevisionError). Expected revisions are checked after duplicates are dropped.
   */
  append(writes: readonly StreamWrite[]): Promise<AppendResult>;
  /** The stream's events from `fromRevision` on (all by default); empty when the stream does not exist. */
  readStream(stream: string, fromRevision?: number): Promise<RecordedEvent[]>;
  readAll(options: ReadAllOptions): Promise<RecordedEvent[]>;
  /** Calls `handler` for every event after `after`, in order, now and as they are appended. */
  subscribe(after: bigint, handler: (event: RecordedEvent) => Promise<void>, types?: readonly string[]): Subscription;
  /**
   * Writes events read from another store as they were recorded there: stream, revision, type, data, metadata,
   * recordedAt and idempotency key, in the order given (so their global order is kept; positions are this store's
   * own). An event whose stream already holds its revision is skipped, so a copy interrupted half-way resumes by
   * importing the same events again. A gap (revision beyond the stream's next) throws WrongExpectedRevisionError.
   */
  importEvents(events: readonly RecordedEvent[]): Promise<ImportResult>;
  /** Number of stored events (optionally of some types only). */
  count(types?: readonly string[]): Promise<number>;
  close(): Promise<void>;
}

export const EVENT_STORE = Symbol('EventStore');
