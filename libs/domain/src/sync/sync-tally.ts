import { OBJECT_TYPES, type ObjectType } from '@provsync/skolverket-api';
import type { ObjectResult } from './sync-events.js';

export interface TypeTally {
  sent: number;
  accepted: number;
  warnings: number;
  errors: number;
  temporaryErrors: number;
}

/** What the sync sent (upserts) and what Skolverket answered, per object type, over the whole stream. */
export interface SyncTally {
  byType: Record<ObjectType, TypeTally>;
  /** Distinct messages Skolverket gave with errors and warnings (`type|status|text` → count). */
  messages: Map<string, { type: ObjectType; status: string; message: string; count: number }>;
}

export function emptyTally(): SyncTally {
  const byType = Object.fromEntries(
    OBJECT_TYPES.map((t) => [t, { sent: 0, accepted: 0, warnings: 0, errors: 0, temporaryErrors: 0 }]),
  ) as Record<ObjectType, TypeTally>;
  return { byType, messages: new Map() };
}

/** A finished upsert job of `size` objects; `results` lists those that did not simply succeed. */
export function tallyResults(tally: SyncTally, type: ObjectType, size: number, results: ObjectResult[]): void {
  const counts = tally.byType[type];
  let notAccepted = 0;
  for (const result of results) {
    if (result.status === 'Success') continue;
    if (result.status === 'Warning') counts.warnings++;
    else notAccepted++;
    if (result.status === 'Error') counts.errors++;
    if (result.status === 'TemporaryError') counts.temporaryErrors++;
    for (const m of [...(result.errors ?? []), ...(result.warnings ?? [])]) {
      const text = m.attributeName ? `${m.attributeName}: ${m.message}` : m.message;
      const key = `${type}|${result.status}|${text}`;
      const entry = tally.messages.get(key) ?? { type, status: result.status, message: text, count: 0 };
      entry.count++;
      tally.messages.set(key, entry);
    }
  }
  counts.accepted += size - notAccepted;
}
