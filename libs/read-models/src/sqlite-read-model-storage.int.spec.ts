import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@provsync/event-store';
import { readModelStorageContract } from './read-model-storage.contract.js';
import { SqliteReadModelStorage } from './sqlite-read-model-storage.js';

// In the event store's own file, as in production: the store is opened first, the read models beside it.
const file = join(mkdtempSync(join(tmpdir(), 'read-models-')), 'provsync.db');
await new SqliteEventStore(file).close();
readModelStorageContract('SQLite (the store file)', async () => new SqliteReadModelStorage(file));
