import pg from 'pg';
import {
  type Generation,
  generationNumber,
  generationOf,
  type ReadModelStorage,
  type RowChange,
  StalePositionError,
  type StoredRow,
} from './read-model-storage.port.js';

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
/** Advisory lock key (first of two) under which the tables are created: beside the event store's own namespaces. */
const MIGRATE_LOCK = 0x70_73_10;

const tables = (s: string) => `
  CREATE SCHEMA IF NOT EXISTS ${s};
  CREATE TABLE IF NOT EXISTS ${s}.read_models (model text PRIMARY KEY, active integer NOT NULL, rebuild integer);
  CREATE TABLE IF NOT EXISTS ${s}.read_model_positions (generation text PRIMARY KEY, position bigint NOT NULL);
  CREATE TABLE IF NOT EXISTS ${s}.read_model_rows (
    generation text NOT NULL, collection text NOT NULL, key text NOT NULL, value text NOT NULL,
    PRIMARY KEY (generation, collection, key));
  CREATE TABLE IF NOT EXISTS ${s}.read_model_terms (
    generation text NOT NULL, collection text NOT NULL, term text NOT NULL, key text NOT NULL,
    PRIMARY KEY (generation, collection, term, key));
  CREATE INDEX IF NOT EXISTS read_model_terms_by_key ON ${s}.read_model_terms (generation, collection, key);
  ALTER TABLE ${s}.read_model_rows ADD COLUMN IF NOT EXISTS bytes bytea;`;

/** Read models in the PostgreSQL store's schema (`?schema=`, `provsync` by default), beside its events table. */
export class PostgresReadModelStorage implements ReadModelStorage {
  private constructor(
    private readonly pool: pg.Pool,
    private readonly s: string,
  ) {}

  static async open(url: string): Promise<PostgresReadModelStorage> {
    const parsed = new URL(url);
    const schema = parsed.searchParams.get('schema') ?? 'provsync';
    if (!SCHEMA_NAME.test(schema)) throw new Error('read models: schema must be lower-case letters, digits and _');
    parsed.searchParams.delete('schema');
    const pool = new pg.Pool({ connectionString: parsed.toString(), max: 4, application_name: 'provsync-read-models' });
    pool.on('error', () => undefined);
    const s = `"${schema}"`;
    try {
      await inTransaction(pool, async (client) => {
        await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [MIGRATE_LOCK, schema]);
        await client.query(tables(s));
      });
    } catch (error) {
      await pool.end();
      throw new Error(`read models: could not open their tables at ${parsed.hostname}:${parsed.port || '5432'}: ${(error as Error).message}`);
    }
    return new PostgresReadModelStorage(pool, s);
  }

  async activeGeneration(model: string): Promise<Generation> {
    return inTransaction(this.pool, async (c) => {
      await c.query(`INSERT INTO ${this.s}.read_models (model, active) VALUES ($1, 1) ON CONFLICT DO NOTHING`, [model]);
      const { rows } = await c.query<{ active: number }>(`SELECT active FROM ${this.s}.read_models WHERE model = $1`, [model]);
      const generation = generationOf(model, rows[0]!.active);
      await c.query(`INSERT INTO ${this.s}.read_model_positions VALUES ($1, 0) ON CONFLICT DO NOTHING`, [generation]);
      return generation;
    });
  }

  async rebuildGeneration(model: string): Promise<Generation> {
    await this.activeGeneration(model);
    return inTransaction(this.pool, async (c) => {
      const { rows } = await c.query<{ active: number; rebuild: number | null }>(
        `SELECT active, rebuild FROM ${this.s}.read_models WHERE model = $1 FOR UPDATE`,
        [model],
      );
      const row = rows[0]!;
      if (row.rebuild !== null) return generationOf(model, row.rebuild);
      const next = generationOf(model, row.active + 1);
      await this.drop(c, next);
      await c.query(`INSERT INTO ${this.s}.read_model_positions VALUES ($1, 0)`, [next]);
      await c.query(`UPDATE ${this.s}.read_models SET rebuild = $1 WHERE model = $2`, [generationNumber(next), model]);
      return next;
    });
  }

  async promote(model: string, generation: Generation): Promise<void> {
    const old = await this.activeGeneration(model);
    if (old === generation) return;
    await inTransaction(this.pool, async (c) => {
      await c.query(`UPDATE ${this.s}.read_models SET active = $1, rebuild = NULL WHERE model = $2`, [generationNumber(generation), model]);
      await this.drop(c, old);
    });
  }

  async position(generation: Generation): Promise<bigint> {
    const { rows } = await this.pool.query<{ position: string }>(`SELECT position FROM ${this.s}.read_model_positions WHERE generation = $1`, [generation]);
    return BigInt(rows[0]?.position ?? 0);
  }

  async commit(generation: Generation, expected: bigint, next: bigint, changes: readonly RowChange[]): Promise<void> {
    await inTransaction(this.pool, async (c) => {
      await c.query(`INSERT INTO ${this.s}.read_model_positions VALUES ($1, 0) ON CONFLICT DO NOTHING`, [generation]);
      const { rows } = await c.query<{ position: string }>(
        `SELECT position FROM ${this.s}.read_model_positions WHERE generation = $1 FOR UPDATE`,
        [generation],
      );
      const actual = BigInt(rows[0]!.position);
      if (actual !== expected) throw new StalePositionError(generation, expected, actual);
      const { deletes, puts, retermed } = netChanges(changes);
      if (deletes.length) {
        await c.query(
          `DELETE FROM ${this.s}.read_model_rows r USING unnest($2::text[], $3::text[]) AS d(collection, key)
           WHERE r.generation = $1 AND r.collection = d.collection AND r.key = d.key`,
          [generation, deletes.map((d) => d.collection), deletes.map((d) => d.key)],
        );
      }
      if (puts.length) {
        await c.query(
          `INSERT INTO ${this.s}.read_model_rows (generation, collection, key, value, bytes)
           SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::bytea[])
           ON CONFLICT (generation, collection, key) DO UPDATE SET value = excluded.value, bytes = excluded.bytes`,
          [
            generation,
            puts.map((r) => r.collection),
            puts.map((r) => r.key),
            puts.map((r) => (r.value instanceof Uint8Array ? '' : JSON.stringify(r.value))),
            puts.map((r) => (r.value instanceof Uint8Array ? Buffer.from(r.value.buffer, r.value.byteOffset, r.value.byteLength) : null)),
          ],
        );
      }
      if (retermed.length) {
        await c.query(
          `DELETE FROM ${this.s}.read_model_terms t USING unnest($2::text[], $3::text[]) AS d(collection, key)
           WHERE t.generation = $1 AND t.collection = d.collection AND t.key = d.key`,
          [generation, retermed.map((d) => d.collection), retermed.map((d) => d.key)],
        );
        const terms = retermed.flatMap((ch) => (ch.terms ?? []).map((term) => [ch.collection, term, ch.key]));
        if (terms.length) {
          await c.query(
            `INSERT INTO ${this.s}.read_model_terms (generation, collection, term, key)
             SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[]) ON CONFLICT DO NOTHING`,
            [generation, terms.map((t) => t[0]), terms.map((t) => t[1]), terms.map((t) => t[2])],
          );
        }
      }
      await c.query(`UPDATE ${this.s}.read_model_positions SET position = $1 WHERE generation = $2`, [next.toString(), generation]);
    });
  }

  async get(generation: Generation, collection: string, key: string): Promise<unknown | undefined> {
    const { rows } = await this.pool.query<{ value: string; bytes: Buffer | null }>(
      `SELECT value, bytes FROM ${this.s}.read_model_rows WHERE generation = $1 AND collection = $2 AND key = $3`,
      [generation, collection, key],
    );
    return rows[0] ? valueOf(rows[0]) : undefined;
  }

  async findByTerm(generation: Generation, collection: string, term: string): Promise<StoredRow[]> {
    const { rows } = await this.pool.query<{ key: string; value: string; bytes: Buffer | null }>(
      `SELECT r.key, r.value, r.bytes FROM ${this.s}.read_model_terms t JOIN ${this.s}.read_model_rows r
         ON r.generation = t.generation AND r.collection = t.collection AND r.key = t.key
       WHERE t.generation = $1 AND t.collection = $2 AND t.term = $3 ORDER BY t.key COLLATE "C"`,
      [generation, collection, term],
    );
    return rows.map((r) => ({ key: r.key, value: valueOf(r) }));
  }

  async count(generation: Generation, collection: string): Promise<number> {
    const { rows } = await this.pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM ${this.s}.read_model_rows WHERE generation = $1 AND collection = $2`,
      [generation, collection],
    );
    return Number(rows[0]!.n);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private async drop(c: pg.PoolClient, generation: Generation): Promise<void> {
    for (const table of ['read_model_rows', 'read_model_terms', 'read_model_positions']) {
      await c.query(`DELETE FROM ${this.s}.${table} WHERE generation = $1`, [generation]);
    }
  }
}

/**
 * What a batch of changes leaves, as written one by one would: per key the last value, and its terms as last set
 * (a delete clears them; a put without terms keeps what the key had). Lets a commit be one statement per kind.
 */
function netChanges(changes: readonly RowChange[]): { deletes: RowChange[]; puts: RowChange[]; retermed: RowChange[] } {
  const net = new Map<string, RowChange>();
  for (const change of changes) {
    const id = `${change.collection}\u0000${change.key}`;
    const before = net.get(id);
    if (change.value === undefined) net.set(id, { collection: change.collection, key: change.key, terms: [] });
    else net.set(id, { ...change, terms: change.terms ?? before?.terms });
  }
  const all = [...net.values()];
  return {
    deletes: all.filter((ch) => ch.value === undefined),
    puts: all.filter((ch) => ch.value !== undefined),
    retermed: all.filter((ch) => ch.terms !== undefined),
  };
}

/** A row's value: its bytes when it holds a byte array, else its JSON. */
const valueOf = (row: { value: string; bytes: Buffer | null }): unknown => row.bytes ?? JSON.parse(row.value);

async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
