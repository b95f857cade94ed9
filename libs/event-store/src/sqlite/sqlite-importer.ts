import type Database from 'better-sqlite3';
import { type ImportResult, type RecordedEvent, WrongExpectedRevisionError } from '../event-store.port.js';

/** Writes events copied from another store as they were, in one transaction (see EventStore.importEvents). */
export class SqliteImporter {
  private readonly lastRevision: Database.Statement<[string], { revision: number | null }>;
  private readonly insert: Database.Statement<[string, number, string, string, string, string, string | null]>;

  constructor(private readonly db: Database.Database) {
    this.lastRevision = db.prepare('SELECT MAX(revision) AS revision FROM events WHERE stream = ?');
    this.insert = db.prepare(
      'INSERT INTO events (stream, revision, type, data, metadata, recorded_at, idempotency_key) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
  }

  import(events: readonly RecordedEvent[]): ImportResult {
    return this.db.transaction(() => {
      const last = new Map<string, number>();
      let imported = 0;
      for (const event of events) {
        const known = last.get(event.stream) ?? this.lastRevision.get(event.stream)?.revision ?? -1;
        if (event.revision <= known) {
          last.set(event.stream, known);
          continue;
        }
        if (event.revision !== known + 1) {
          throw new WrongExpectedRevisionError(event.stream, event.revision - 1, known < 0 ? 'no_stream' : known);
        }
        this.insert.run(
          event.stream, event.revision, event.type, JSON.stringify(event.data), JSON.stringify(event.metadata),
          event.recordedAt, event.idempotencyKey ?? null,
        );
        last.set(event.stream, event.revision);
        imported++;
      }
      return { imported, skipped: events.length - imported };
    }).immediate();
  }
}
