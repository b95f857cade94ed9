import { type ImportResult, type RecordedEvent, WrongExpectedRevisionError } from '../event-store.port.js';
import type { EventRows } from './postgres-append-plan.js';

export interface ImportPlan {
  rows: EventRows & { recordedAt: string[] };
  result: ImportResult;
}

/**
 * Decides which imported events to write (see EventStore.importEvents): an event whose stream already holds its
 * revision is skipped; the next revision is written as it was recorded; anything beyond is a gap and throws.
 */
export function planImport(events: readonly RecordedEvent[], lastRevisions: ReadonlyMap<string, number>): ImportPlan {
  const last = new Map(lastRevisions);
  const rows: ImportPlan['rows'] = { stream: [], revision: [], type: [], data: [], metadata: [], idempotencyKey: [], recordedAt: [] };
  for (const event of events) {
    const known = last.get(event.stream) ?? -1;
    if (event.revision <= known) continue;
    if (event.revision !== known + 1) {
      throw new WrongExpectedRevisionError(event.stream, event.revision - 1, known < 0 ? 'no_stream' : known);
    }
    rows.stream.push(event.stream);
    rows.revision.push(event.revision);
    rows.type.push(event.type);
    rows.data.push(JSON.stringify(event.data) ?? 'null');
    rows.metadata.push(JSON.stringify(event.metadata ?? {}));
    rows.recordedAt.push(event.recordedAt);
    rows.idempotencyKey.push(event.idempotencyKey ?? null);
    last.set(event.stream, event.revision);
  }
  return { rows, result: { imported: rows.stream.length, skipped: events.length - rows.stream.length } };
}
