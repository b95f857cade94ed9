/**
 * Test entry: projects the audit index of a SQLite store into a read-model file, printing `page <n>` after each
 * committed page, so a test can SIGKILL it at a random point. argv: catch-up|replay <store file> <models file> <page size>.
 */
import { SqliteEventStore } from '@provsync/event-store';
import { catchUpActive, replayModel, SqliteReadModelStorage } from '@provsync/read-models';
import { AuditIndexModel } from '../../src/audit/audit-index.model.js';

const [mode, storeFile, modelsFile, pageSize] = process.argv.slice(2);
const store = new SqliteEventStore(storeFile!);
const storage = new SqliteReadModelStorage(modelsFile!);
let pages = 0;
const model = new AuditIndexModel(store);
if (mode === 'replay') {
  await replayModel(store, storage, model, { pageSize: Number(pageSize), onProgress: () => process.stdout.write(`page ${++pages}\n`) });
} else {
  await catchUpActive(store, storage, model, { pageSize: Number(pageSize), onPage: () => process.stdout.write(`page ${++pages}\n`) });
}
process.stdout.write('done\n');
await storage.close();
await store.close();
