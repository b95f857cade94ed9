import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  type AppendResult,
  type EventStore,
  type ReadAllOptions,
  type RecordedEvent,
  type StreamWrite,
  type Subscription,
  WrongExpectedRevisionError,
} from '../event-store.port.js';
import { pollingSubscription } from '../polling-subscription.js';

interface EventRow {
  position: number | bigint;
  stream: string;
  revision: number;
  type: string;
  data: string;
  metadata: string;
  recorded_at: string;
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS events (
    position        INTEGER PRIMARY KEY AUTOINCREMENT,
    stream          TEXT    NOT NULL,
    revision        INTEGER NOT NULL,
    type            TEXT    NOT NULL,
    data            TEXT    NOT NULL,
    metadata        TEXT    NOT NULL,
    recorded_at     TEXT    NOT NULL,
    idempotency_key TEXT    UNIQUE,
    UNIQUE (stream, revision)
  );
  CREATE INDEX IF NOT EXISTS events_by_type ON events (type, position);
`;

/** The embedded default: one SQLite file, WAL mode, every append one fsynced transaction. */
export class SqliteEventStore implements EventStore {
  private readonly db: Database.Database;
  private readonly statements;
  private readonly appendListeners = new Set<() => void>();

  constructor(readonly file: string, private readonly now: () => Date = () => new Date()) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 10000');
    this.db.exec(SCHEMA);
    this.db.defaultSafeIntegers(false);
    this.statements = {
      lastRevision: this.db.prepare<[string], { revision: number | null }>(
        'SELECT MAX(revision) AS revision FROM events WHERE stream = ?',
      ),
      keyExists: this.db.prepare<[string], { one: number }>('SELECT 1 AS one FROM events WHERE idempotency_key = ?'),
      insert: this.db.prepare(
        `INSERT INTO events (stream, revision, type, data, metadata, recorded_at, idempotency_key)
         VALUES (@stream, @revision, @type, @data, @metadata, @recordedAt, @idempotencyKey)
         ON CONFLICT (idempotency_key) DO NOTHING`,
      ),
      readStream: this.db.prepare<[string, number], EventRow>(
        'SELECT * FROM events WHERE stream = ? AND revision >= ? ORDER BY revision',
      ),
      readAll: this.db.prepare<[bigint, number], EventRow>('SELECT * FROM events WHERE position > ? ORDER BY position LIMIT ?'),
      count: this.db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM events'),
    };
    this.statements.readAll.safeIntegers(true);
    this.statements.readStream.safeIntegers(true);
  }

  async append(writes: readonly StreamWrite[]): Promise<AppendResult> {
    const recordedAt = this.now().toISOString();
    const result = this.db.transaction((): AppendResult => {
      const revisions: Record<string, number> = {};
      const duplicates: string[] = [];
      for (const write of writes) {
        const last = this.statements.lastRevision.get(write.stream)?.revision ?? null;
        if (!expectedMatches(write, last)) {
          // A redelivery of events already stored is not a conflict, whatever happened to the stream since.
          if (!this.allStored(write)) throw new WrongExpectedRevisionError(write.stream, write.expectedRevision, last ?? 'no_stream');
          duplicates.push(...write.events.map((event) => event.idempotencyKey!));
          if (last !== null) revisions[write.stream] = last;
          continue;
        }
        let revision = last ?? -1;
        for (const event of write.events) {
          const inserted = this.statements.insert.run({
            stream: write.stream,
            revision: revision + 1,
            type: event.type,
            data: JSON.stringify(event.data),
            metadata: JSON.stringify(event.metadata ?? {}),
            recordedAt,
            idempotencyKey: event.idempotencyKey ?? null,
          });
          if (inserted.changes === 0) duplicates.push(event.idempotencyKey!);
          else revision += 1;
        }
        if (revision >= 0) revisions[write.stream] = revision;
      }
      return { revisions, duplicates };
    }).immediate();
    for (const notify of this.appendListeners) notify();
    return result;
  }

  private allStored(write: StreamWrite): boolean {
    return write.events.every((event) => event.idempotencyKey !== undefined && this.statements.keyExists.get(event.idempotencyKey));
  }

  async readStream(stream: string, fromRevision = 0): Promise<RecordedEvent[]> {
    return this.statements.readStream.all(stream, fromRevision).map(toRecorded);
  }

  async readAll({ after, limit, types }: ReadAllOptions): Promise<RecordedEvent[]> {
    if (!types) return this.statements.readAll.all(after, limit).map(toRecorded);
    const placeholders = types.map(() => '?').join(',');
    const statement = this.db.prepare<unknown[], EventRow>(
      `SELECT * FROM events WHERE position > ? AND type IN (${placeholders}) ORDER BY position LIMIT ?`,
    );
    statement.safeIntegers(true);
    return statement.all(after, ...types, limit).map(toRecorded);
  }

  subscribe(after: bigint, handler: (event: RecordedEvent) => Promise<void>, types?: readonly string[]): Subscription {
    return pollingSubscription(this, after, handler, types, (listener) => {
      this.appendListeners.add(listener);
      return () => this.appendListeners.delete(listener);
    });
  }

  async count(types?: readonly string[]): Promise<number> {
    if (!types) return this.statements.count.get()!.n;
    const placeholders = types.map(() => '?').join(',');
    return this.db.prepare<unknown[], { n: number }>(`SELECT COUNT(*) AS n FROM events WHERE type IN (${placeholders})`).get(...types)!.n;
  }

  async close(): Promise<void> {
    this.appendListeners.clear();
    this.db.close();
  }
}

function expectedMatches(write: StreamWrite, last: number | null): boolean {
  const expected = write.expectedRevision;
  return expected === 'any' || expected === (last === null ? 'no_stream' : last);
}

function toRecorded(row: EventRow): RecordedEvent {
  return {
    stream: row.stream,
    revision: Number(row.revision),
    position: BigInt(row.position),
    type: row.type,
    data: JSON.parse(row.data),
    metadata: JSON.parse(row.metadata),
    recordedAt: row.recorded_at,
  };
}
