/**
 * Test entry: projects the desired-state and sync-state models of a SQLite store into a read-model file, printing
 * `page <n>` after each committed page, so a test can SIGKILL it at a random point.
 * argv: catch-up|replay <store file> <models file> <page size> <snapshot every>.
 */
import { SqliteEventStore } from '@provsync/event-store';
import { catchUpActive, replayModel, SqliteReadModelStorage } from '@provsync/read-models';
import { stockholmDate } from '../../src/clock.js';
import { DesiredStateModel } from '../../src/desired-state/desired-state.model.js';
import { SyncStateModel } from '../../src/read-models/sync-state.model.js';

const [mode, storeFile, modelsFile, pageSize, snapshotEvery] = process.argv.slice(2);
const store = new SqliteEventStore(storeFile!);
const storage = new SqliteReadModelStorage(modelsFile!);
let pages = 0;
const onPage = () => process.stdout.write(`page ${++pages}\n`);
for (const model of [new DesiredStateModel(store, () => stockholmDate(new Date()), Number(snapshotEvery)), new SyncStateModel(store, Number(snapshotEvery))]) {
  if (mode === 'replay') await replayModel(store, storage, model, { pageSize: Number(pageSize), onProgress: onPage });
  else await catchUpActive(store, storage, model, { pageSize: Number(pageSize), onPage });
}
process.stdout.write('done\n');
await storage.close();
await store.close();
