import { OBJECT_TYPES, type ObjectType } from '@provsync/skolverket-api';
import { SYNC_STREAM, type SyncEvent } from '@provsync/domain';
import type { EventStore } from '@provsync/event-store';

export interface TypeReport {
  sent: number;
  accepted: number;
  warnings: number;
  errors: number;
  temporaryErrors: number;
}

export interface SyncReport {
  byType: Record<ObjectType, TypeReport>;
  /** Distinct messages Skolverket gave with errors and warnings, with how often. */
  messages: Array<{ type: ObjectType; status: string; message: string; count: number }>;
}

/** Tallies the sync's own history: what was sent and what Skolverket answered, per object type. */
export async function syncReport(store: EventStore): Promise<SyncReport> {
  const byType = Object.fromEntries(
    OBJECT_TYPES.map((t) => [t, { sent: 0, accepted: 0, warnings: 0, errors: 0, temporaryErrors: 0 }]),
  ) as Record<ObjectType, TypeReport>;
  const batches = new Map<string, { type: ObjectType; size: number; operation: string }>();
  const messages = new Map<string, { type: ObjectType; status: string; message: string; count: number }>();
  for (const recorded of await store.readStream(SYNC_STREAM)) {
    const event = { type: recorded.type, data: recorded.data } as SyncEvent;
    if (event.type === 'BatchSubmissionStarted') {
      batches.set(event.data.batchId, { type: event.data.objectType, size: event.data.items.length, operation: event.data.operation });
      if (event.data.operation === 'upsert') byType[event.data.objectType].sent += event.data.items.length;
    }
    if (event.type !== 'JobResultsRecorded') continue;
    const batch = batches.get(event.data.batchId);
    if (!batch || batch.operation !== 'upsert') continue;
    const counts = byType[batch.type];
    const notSuccess = event.data.results.filter((r) => r.status !== 'Success');
    counts.accepted += batch.size - notSuccess.filter((r) => r.status !== 'Warning').length;
    for (const result of notSuccess) {
      if (result.status === 'Warning') counts.warnings++;
      if (result.status === 'Error') counts.errors++;
      if (result.status === 'TemporaryError') counts.temporaryErrors++;
      for (const m of [...(result.errors ?? []), ...(result.warnings ?? [])]) {
        const text = m.attributeName ? `${m.attributeName}: ${m.message}` : m.message;
        const key = `${batch.type}|${result.status}|${text}`;
        const entry = messages.get(key) ?? { type: batch.type, status: result.status, message: text, count: 0 };
        entry.count++;
        messages.set(key, entry);
      }
    }
  }
  return { byType, messages: [...messages.values()].sort((a, b) => b.count - a.count) };
}
