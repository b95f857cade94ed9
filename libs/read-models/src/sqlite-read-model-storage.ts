import Database from 'better-sqlite3';
import {
  type Generation,
  generationNumber,
  generationOf,
  type ReadModelStorage,
  type RowChange,
  StalePositionError,
  type StoredRow,
} from './read-model-storage.port.js';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS read_models (
    model   TEXT PRIMARY KEY,
    active  INTEGER NOT NULL,
    rebuild INTEGER
  );
  CREATE TABLE IF NOT EXISTS read_model_positions (
    generation TEXT PRIMARY KEY,
    position   INTEGER NOT NULL
  );
  CREATE TABLE IF NOT EXISTS read_model_rows (
    generation TEXT NOT NULL,
    collection TEXT NOT NULL,
    key        TEXT NOT NULL,
    value      TEXT NOT NULL,
    PRIMARY KEY (generation, collection, key)
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS read_model_terms (
    generation TEXT NOT NULL,
    collection TEXT NOT NULL,
    term       TEXT NOT NULL,
    key        TEXT NOT NULL,
    PRIMARY KEY (generation, collection, term, key)
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS read_model_terms_by_key ON read_model_terms (generation, collection, key);
`;

/**
 * Read models in the SQLite store's own file, on a connection of their own. SQLite lets one connection write at a
 * time, so a commit holds the event store's writer thread back for as long as it runs: projectors commit a page
 * of events at a time (hundreds of rows, milliseconds), never a whole replay in one transaction.
 */
export class SqliteReadModelStorage implements ReadModelStorage {
  private readonly db: Database.Database;
  private readonly statements;

  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    // A read model can always be rebuilt from the events; its rows and position still commit together.
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 10000');
    this.db.exec(SCHEMA);
    const db = this.db;
    this.statements = {
      model: db.prepare<[string], { active: number; rebuild: number | null }>('SELECT active, rebuild FROM read_models WHERE model = ?'),
      insertModel: db.prepare('INSERT INTO read_models (model, active, rebuild) VALUES (?, ?, NULL)'),
      setRebuild: db.prepare('UPDATE read_models SET rebuild = ? WHERE model = ?'),
      setActive: db.prepare('UPDATE read_models SET active = ?, rebuild = NULL WHERE model = ?'),
      position: db.prepare<[string], { position: number }>('SELECT position FROM read_model_positions WHERE generation = ?'),
      insertPosition: db.prepare('INSERT OR IGNORE INTO read_model_positions (generation, position) VALUES (?, 0)'),
      setPosition: db.prepare('UPDATE read_model_positions SET position = ? WHERE generation = ?'),
      put: db.prepare('INSERT INTO read_model_rows (generation, collection, key, value) VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET value = excluded.value'),
      delete: db.prepare('DELETE FROM read_model_rows WHERE generation = ? AND collection = ? AND key = ?'),
      deleteTerms: db.prepare('DELETE FROM read_model_terms WHERE generation = ? AND collection = ? AND key = ?'),
      insertTerm: db.prepare('INSERT OR IGNORE INTO read_model_terms (generation, collection, term, key) VALUES (?, ?, ?, ?)'),
      get: db.prepare<[string, string, string], { value: string | Buffer }>('SELECT value FROM read_model_rows WHERE generation = ? AND collection = ? AND key = ?'),
      find: db.prepare<[string, string, string], { key: string; value: string | Buffer }>(
        `SELECT r.key, r.value FROM read_model_terms t JOIN read_model_rows r
           ON r.generation = t.generation AND r.collection = t.collection AND r.key = t.key
         WHERE t.generation = ? AND t.collection = ? AND t.term = ? ORDER BY t.key`,
      ),
      count: db.prepare<[string, string], { n: number }>('SELECT count(*) AS n FROM read_model_rows WHERE generation = ? AND collection = ?'),
      dropRows: db.prepare('DELETE FROM read_model_rows WHERE generation = ?'),
      dropTerms: db.prepare('DELETE FROM read_model_terms WHERE generation = ?'),
      dropPosition: db.prepare('DELETE FROM read_model_positions WHERE generation = ?'),
    };
  }

  async activeGeneration(model: string): Promise<Generation> {
    return this.db.transaction(() => {
      const row = this.statements.model.get(model);
      if (row) return generationOf(model, row.active);
      this.statements.insertModel.run(model, 1);
      this.statements.insertPosition.run(generationOf(model, 1));
      return generationOf(model, 1);
    }).immediate();
  }

  async rebuildGeneration(model: string): Promise<Generation> {
    const active = await this.activeGeneration(model);
    return this.db.transaction(() => {
      const row = this.statements.model.get(model)!;
      if (row.rebuild !== null) return generationOf(model, row.rebuild);
      const next = generationOf(model, generationNumber(active) + 1);
      // Rows of an older abandoned attempt under this number cannot exist: numbers only grow. Clear to be sure.
      this.drop(next);
      this.statements.insertPosition.run(next);
      this.statements.setRebuild.run(generationNumber(next), model);
      return next;
    }).immediate();
  }

  async promote(model: string, generation: Generation): Promise<void> {
    const old = await this.activeGeneration(model);
    if (old === generation) return;
    this.db.transaction(() => {
      this.statements.setActive.run(generationNumber(generation), model);
      this.drop(old);
    }).immediate();
  }

  async position(generation: Generation): Promise<bigint> {
    return BigInt(this.statements.position.get(generation)?.position ?? 0);
  }

  async commit(generation: Generation, expected: bigint, next: bigint, changes: readonly RowChange[]): Promise<void> {
    const s = this.statements;
    this.db.transaction(() => {
      const actual = BigInt(s.position.get(generation)?.position ?? 0);
      if (actual !== expected) throw new StalePositionError(generation, expected, actual);
      for (const change of changes) {
        if (change.value === undefined) s.delete.run(generation, change.collection, change.key);
        else s.put.run(generation, change.collection, change.key, storedValue(change.value));
        if (change.terms !== undefined || change.value === undefined) {
          s.deleteTerms.run(generation, change.collection, change.key);
          for (const term of change.terms ?? []) s.insertTerm.run(generation, change.collection, term, change.key);
        }
      }
      s.insertPosition.run(generation);
      s.setPosition.run(Number(next), generation);
    }).immediate();
  }

  async get(generation: Generation, collection: string, key: string): Promise<unknown | undefined> {
    const row = this.statements.get.get(generation, collection, key);
    return row ? valueOf(row.value) : undefined;
  }

  async findByTerm(generation: Generation, collection: string, term: string): Promise<StoredRow[]> {
    return this.statements.find.all(generation, collection, term).map((r) => ({ key: r.key, value: valueOf(r.value) }));
  }

  async count(generation: Generation, collection: string): Promise<number> {
    return this.statements.count.get(generation, collection)!.n;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  private drop(generation: Generation): void {
    this.statements.dropRows.run(generation);
    this.statements.dropTerms.run(generation);
    this.statements.dropPosition.run(generation);
  }
}

/** JSON text, or the bytes themselves for a byte array (a BLOB: SQLite keeps it as given, whatever the column's type). */
const storedValue = (value: unknown): string | Uint8Array => (value instanceof Uint8Array ? value : JSON.stringify(value));
const valueOf = (stored: string | Buffer): unknown => (typeof stored === 'string' ? JSON.parse(stored) : stored);
