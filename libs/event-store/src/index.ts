export * from './event-store.port.js';
export { SqliteEventStore } from './sqlite/sqlite-event-store.js';
export { openEventStore } from './open-event-store.js';
export { isKurrentDbUrl, parseKurrentDbUrl } from './kurrentdb/kurrentdb-url.js'; // the adapter itself loads on demand (open-event-store.ts)
export { fromThreadError, type ThreadError, toThreadError, WorkerRequests } from './worker-requests.js';
