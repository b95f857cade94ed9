import { dirname, join } from 'node:path';
import { PostgresReadModelStorage } from './postgres-read-model-storage.js';
import type { ReadModelStorage } from './read-model-storage.port.js';
import { SqliteReadModelStorage } from './sqlite-read-model-storage.js';

/**
 * Where the read models of a store live: in the store's own database (SQLite: the same file; PostgreSQL: the same
 * schema). KurrentDB holds no tables, so its read models go to a SQLite file in the working directory's data
 * folder, `./data/read-models.db` (the same default folder as the embedded store).
 */
export function readModelLocation(storeUrl: string): { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string } {
  if (storeUrl.startsWith('sqlite:')) return { kind: 'sqlite', file: storeUrl.slice('sqlite:'.length) };
  if (storeUrl.startsWith('postgres://') || storeUrl.startsWith('postgresql://')) return { kind: 'postgres', url: storeUrl };
  return { kind: 'sqlite', file: join('data', 'read-models.db') };
}

export async function openReadModelStorage(storeUrl: string): Promise<ReadModelStorage> {
  const location = readModelLocation(storeUrl);
  if (location.kind === 'postgres') return PostgresReadModelStorage.open(location.url);
  const { mkdirSync } = await import('node:fs');
  mkdirSync(dirname(location.file), { recursive: true });
  return new SqliteReadModelStorage(location.file);
}
