export * from './event-store.port.js';
export { SqliteEventStore } from './sqlite/sqlite-event-store.js';
export { PostgresEventStore } from './postgres/postgres-event-store.js';
export { PostgresSyncLease } from './postgres/postgres-sync-lease.js';
export type { HeldSyncLease, SyncLease } from './sync-lease.js';
export { SqliteSyncLease, type SyncLeaseHolder } from './sqlite/sqlite-sync-lease.js';
export { openEventStore } from './open-event-store.js';
export * from './copy/index.js';
export { fromThreadError, type ThreadError, toThreadError, WorkerRequests } from './worker-requests.js';
