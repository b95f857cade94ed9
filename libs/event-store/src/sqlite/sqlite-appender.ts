import type Database from 'better-sqlite3';
import { type AppendResult, type ExpectedRevision, WrongExpectedRevisionError } from '../event-store.port.js';

/** A StreamWrite with its events already serialised: what crosses to the writer thread. */
export interface SerializedWrite {
  stream: string;
  expectedRevision: ExpectedRevision;
  events: SerializedEvent[];
}

/** A tuple, not an object: it crosses to the writer thread at a fraction of an object's copying cost. */
export type SerializedEvent = [type: string, data: string, metadata: string, idempotencyKey: string | null];

export type AppendOutcome = { ok: true; result: AppendResult } | { ok: false; error: unknown };

export interface AppendRequest {
  writes: readonly SerializedWrite[];
  recordedAt: string;
}

/**
 * The store's write side on one connection. Appends that arrive together are committed together (one
 * IMMEDIATE transaction, one fsync). Should one of them fail, that transaction is rolled back and each is
 * appended on its own, so one append's conflict never undoes another. (Savepoints would isolate them too, but
 * cost a copy of every page they touch.)
 */
export class SqliteAppender {
  private readonly lastRevision: Database.Statement<[string], { revision: number | null }>;
  private readonly keyExists: Database.Statement<[string], { one: number }>;
  private readonly insert: Database.Statement<[string, number, string, string, string, string, string | null]>;
  private readonly appendOne: Database.Transaction<(request: AppendRequest) => AppendResult>;
  private readonly appendAll: Database.Transaction<(requests: readonly AppendRequest[]) => AppendResult[]>;

  constructor(db: Database.Database) {
    this.lastRevision = db.prepare('SELECT MAX(revision) AS revision FROM events WHERE stream = ?');
    this.keyExists = db.prepare('SELECT 1 AS one FROM events WHERE idempotency_key = ?');
    this.insert = db.prepare(
      `INSERT INTO events (stream, revision, type, data, metadata, recorded_at, idempotency_key)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (idempotency_key) DO NOTHING`,
    );
    this.appendOne = db.transaction((request) => this.appendInTransaction(request));
    this.appendAll = db.transaction((requests) => requests.map((request) => this.appendInTransaction(request)));
  }

  /** Outcomes in request order. */
  append(requests: readonly AppendRequest[]): AppendOutcome[] {
    if (requests.length > 1) {
      try {
        return this.appendAll.immediate(requests).map((result) => ({ ok: true, result }));
      } catch {
        // Rolled back whole: find out which one failed, and keep the others.
      }
    }
    return requests.map((request): AppendOutcome => {
      try {
        return { ok: true, result: this.appendOne.immediate(request) };
      } catch (error) {
        return { ok: false, error };
      }
    });
  }

  private appendInTransaction({ writes, recordedAt }: AppendRequest): AppendResult {
    const revisions: Record<string, number> = {};
    const duplicates: string[] = [];
    for (const write of writes) {
      const last = this.lastRevision.get(write.stream)?.revision ?? null;
      if (!expectedMatches(write.expectedRevision, last)) {
        // A redelivery of events already stored is not a conflict, whatever happened to the stream since.
        if (!this.allStored(write)) throw new WrongExpectedRevisionError(write.stream, write.expectedRevision, last ?? 'no_stream');
        for (const [, , , idempotencyKey] of write.events) duplicates.push(idempotencyKey!);
        if (last !== null) revisions[write.stream] = last;
        continue;
      }
      let revision = last ?? -1;
      for (const [type, data, metadata, idempotencyKey] of write.events) {
        const { changes } = this.insert.run(write.stream, revision + 1, type, data, metadata, recordedAt, idempotencyKey);
        if (changes === 0) duplicates.push(idempotencyKey!);
        else revision += 1;
      }
      if (revision >= 0) revisions[write.stream] = revision;
    }
    return { revisions, duplicates };
  }

  private allStored(write: SerializedWrite): boolean {
    return write.events.every(([, , , key]) => key !== null && this.keyExists.get(key) !== undefined);
  }
}

function expectedMatches(expected: ExpectedRevision, last: number | null): boolean {
  return expected === 'any' || expected === (last === null ? 'no_stream' : last);
}
