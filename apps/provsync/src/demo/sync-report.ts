import type { ObjectType } from '@provsync/skolverket-api';
import type { TypeTally } from '@provsync/domain';
import type { EventStore } from '@provsync/event-store';
import { readSyncState } from '../sync/read-sync-state.js';

export type TypeReport = TypeTally;

export interface SyncReport {
  byType: Record<ObjectType, TypeReport>;
  /** Distinct messages Skolverket gave with errors and warnings, with how often. */
  messages: Array<{ type: ObjectType; status: string; message: string; count: number }>;
}

/** What was sent and what Skolverket answered, per object type: the sync stream's tally, most frequent messages first. */
export async function syncReport(store: EventStore): Promise<SyncReport> {
  const { tally } = (await readSyncState(store)).state;
  return { byType: tally.byType, messages: [...tally.messages.values()].sort((a, b) => b.count - a.count) };
}
