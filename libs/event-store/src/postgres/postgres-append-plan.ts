import { type AppendResult, type ExpectedRevision, type StreamWrite, WrongExpectedRevisionError } from '../event-store.port.js';

/** Column arrays for one multi-row INSERT … SELECT FROM unnest(…): row i is element i of each. */
export interface EventRows {
  stream: string[];
  revision: number[];
  type: string[];
  data: string[];
  metadata: string[];
  idempotencyKey: (string | null)[];
}

export interface AppendPlan {
  rows: EventRows;
  result: AppendResult;
}

/**
 * Decides what an append writes, given each stream's last revision and which of its idempotency keys are stored
 * already (both read under the append lock, so they cannot change before the insert). The same rules as the SQLite
 * store: writes are applied in order (a stream written twice sees its first write), a duplicate key is dropped and
 * reported, and the expected revision is checked against the stream as it is; a write whose every event is already
 * stored is a redelivery, never a conflict. Throws WrongExpectedRevisionError, and then nothing is written.
 */
export function planAppend(
  writes: readonly StreamWrite[],
  lastRevisions: ReadonlyMap<string, number>,
  storedKeys: ReadonlySet<string>,
): AppendPlan {
  const last = new Map(lastRevisions);
  const keys = new Set(storedKeys);
  const rows: EventRows = { stream: [], revision: [], type: [], data: [], metadata: [], idempotencyKey: [] };
  const revisions: Record<string, number> = {};
  const duplicates: string[] = [];
  for (const write of writes) {
    const current = last.get(write.stream);
    if (!expectedMatches(write.expectedRevision, current)) {
      if (!write.events.every((event) => event.idempotencyKey !== undefined && keys.has(event.idempotencyKey))) {
        throw new WrongExpectedRevisionError(write.stream, write.expectedRevision, current ?? 'no_stream');
      }
      for (const event of write.events) duplicates.push(event.idempotencyKey!);
      if (current !== undefined) revisions[write.stream] = current;
      continue;
    }
    let revision = current ?? -1;
    for (const event of write.events) {
      const key = event.idempotencyKey;
      if (key !== undefined && keys.has(key)) {
        duplicates.push(key);
        continue;
      }
      if (key !== undefined) keys.add(key);
      revision += 1;
      rows.stream.push(write.stream);
      rows.revision.push(revision);
      rows.type.push(event.type);
      rows.data.push(JSON.stringify(event.data) ?? 'null');
      rows.metadata.push(event.metadata ? JSON.stringify(event.metadata) : '{}');
      rows.idempotencyKey.push(key ?? null);
    }
    if (revision >= 0) {
      revisions[write.stream] = revision;
      last.set(write.stream, revision);
    }
  }
  return { rows, result: { revisions, duplicates } };
}

function expectedMatches(expected: ExpectedRevision, last: number | undefined): boolean {
  return expected === 'any' || expected === (last === undefined ? 'no_stream' : last);
}
