import type { EventStore } from './event-store.port.js';
import { isKurrentDbUrl } from './kurrentdb/kurrentdb-url.js';
import { PostgresEventStore } from './postgres/postgres-event-store.js';
import { SqliteEventStore } from './sqlite/sqlite-event-store.js';

/**
 * Opens the store a PROVSYNC_STORE value names: `sqlite:<file>` (the embedded default),
 * `postgres://user@host:port/database[?schema=name]` (also `postgresql://`; schema `provsync` by default),
 * or KurrentDB (`kurrentdb://…`/`esdb://…`).
 */
export async function openEventStore(url: string): Promise<EventStore> {
  if (url.startsWith('sqlite:')) return new SqliteEventStore(url.slice('sqlite:'.length));
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return PostgresEventStore.open(url);
  // Loaded on demand: the client brings gRPC and a native module that a SQLite installation need not load.
  if (isKurrentDbUrl(url)) return (await import('./kurrentdb/kurrentdb-event-store.js')).KurrentEventStore.open(url);
  throw new Error(`PROVSYNC_STORE: unsupported store "${url.split(':')[0]}:"; use sqlite:<file>, postgres://… or kurrentdb://…`);
}
