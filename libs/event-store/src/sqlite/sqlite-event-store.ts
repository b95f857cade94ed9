import type Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AppendResult, EventStore, ImportResult, ReadAllOptions, RecordedEvent, StreamWrite, Subscription } from '../event-store.port.js';
import { pollingSubscription } from '../polling-subscription.js';
import { SqliteAppender, type SerializedWrite } from './sqlite-appender.js';
import { SqliteImporter } from './sqlite-importer.js';
import { openSqliteConnection, SCHEMA } from './sqlite-connection.js';
import { SqliteWriterThread } from './sqlite-writer-thread.js';

interface EventRow {
  position: number | bigint;
  stream: string;
  revision: number;
  type: string;
  data: string;
  metadata: string;
  recorded_at: string;
  idempotency_key: string | null;
}

/**
 * The embedded default: one SQLite file in WAL mode, every append one fsynced transaction. Appends run on a
 * writer thread with its own connection (reads stay on this one; WAL lets them run side by side), so the
 * caller's thread validates the next batch while the previous one is written. `close()` ends the thread.
 */
export class SqliteEventStore implements EventStore {
  private readonly db: Database.Database;
  private readonly statements;
  /** Started by the first append: a store that is only read (status, explain) never starts a thread. */
  private writer: Pick<SqliteWriterThread, 'append' | 'close'> | undefined;
  private readonly appendListeners = new Set<() => void>();
  private closed = false;

  constructor(readonly file: string, private readonly now: () => Date = () => new Date()) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = openSqliteConnection(file);
    this.db.exec(SCHEMA);
    // An in-memory database exists only on its own connection, so it is written on this thread.
    if (file === ':memory:') this.writer = inThreadWriter(new SqliteAppender(this.db));
    this.statements = {
      readStream: this.db.prepare<[string, number], EventRow>(
        'SELECT * FROM events WHERE stream = ? AND revision >= ? ORDER BY revision',
      ),
      readAll: this.db.prepare<[bigint, number], EventRow>('SELECT * FROM events WHERE position > ? ORDER BY position LIMIT ?'),
      count: this.db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM events'),
    };
    this.statements.readAll.safeIntegers(true);
    this.statements.readStream.safeIntegers(true);
  }

  /** Not async: the writes are serialised before it returns, and not kept alive while the writer works. */
  append(writes: readonly StreamWrite[]): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new Error('the event store is closed'));
    let serialized: SerializedWrite[];
    try {
      serialized = writes.map(serialize);
    } catch (error) {
      return Promise.reject(error);
    }
    this.writer ??= new SqliteWriterThread(this.file);
    return this.writer.append(serialized, this.now().toISOString()).then((result) => {
      for (const notify of this.appendListeners) notify();
      return result;
    });
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

  /** Rare and not on a hot path: written on this thread's connection (WAL and the busy timeout order it with the writer's). */
  async importEvents(events: readonly RecordedEvent[]): Promise<ImportResult> {
    if (this.closed) throw new Error('the event store is closed');
    const result = new SqliteImporter(this.db).import(events);
    if (result.imported) for (const notify of this.appendListeners) notify();
    return result;
  }

  async count(types?: readonly string[]): Promise<number> {
    if (!types) return this.statements.count.get()!.n;
    const placeholders = types.map(() => '?').join(',');
    return this.db.prepare<unknown[], { n: number }>(`SELECT COUNT(*) AS n FROM events WHERE type IN (${placeholders})`).get(...types)!.n;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.appendListeners.clear();
    await this.writer?.close();
    this.db.close();
  }
}

function serialize(write: StreamWrite): SerializedWrite {
  return {
    stream: write.stream,
    expectedRevision: write.expectedRevision,
    events: write.events.map((event) => [
      event.type,
      JSON.stringify(event.data),
      event.metadata ? JSON.stringify(event.metadata) : '{}',
      event.idempotencyKey ?? null,
    ]),
  };
}

function inThreadWriter(appender: SqliteAppender): Pick<SqliteWriterThread, 'append' | 'close'> {
  return {
    append: async (writes, recordedAt) => {
      const outcome = appender.append([{ writes, recordedAt }])[0]!;
      if (!outcome.ok) throw outcome.error;
      return outcome.result;
    },
    close: async () => undefined,
  };
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
    ...(row.idempotency_key === null ? {} : { idempotencyKey: row.idempotency_key }),
  };
}
