import type pg from 'pg';
import { quoteIdentifier } from './postgres-url.js';

/** Advisory lock namespaces (the first key of the two-key form): one for migrating, one for appending. */
export const LOCK_NAMESPACE = { migrate: 0x70_73_01, append: 0x70_73_02, lease: 0x70_73_03 } as const;

interface Migration {
  version: number;
  name: string;
  sql: (schema: string) => string;
}

/**
 * Versioned and append-only: a released migration is never edited, a change is a new one. Each runs in its own
 * transaction together with its row in `migrations`, so a crash leaves the schema at one version or the next.
 */
const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'events',
    // data and metadata are json, not jsonb: kept exactly as written, and json accepts every string JSON.stringify
    // can produce (jsonb refuses \u0000). recorded_at is text so an imported event keeps its time to the digit.
    sql: (s) => `
      CREATE SEQUENCE ${s}.events_position AS bigint;
      CREATE TABLE ${s}.events (
        position        bigint PRIMARY KEY DEFAULT nextval('${s}.events_position'),
        stream          text    NOT NULL,
        revision        integer NOT NULL,
        type            text    NOT NULL,
        data            json    NOT NULL,
        metadata        json    NOT NULL,
        recorded_at     text    NOT NULL,
        idempotency_key text    UNIQUE,
        UNIQUE (stream, revision)
      );
      ALTER SEQUENCE ${s}.events_position OWNED BY ${s}.events.position;
      CREATE INDEX events_by_type ON ${s}.events (type, position);`,
  },
];

export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/**
 * Brings the schema to the latest version. Two processes starting at once are ordered by a session advisory
 * lock on the schema's name, taken before anything is created (CREATE … IF NOT EXISTS alone races).
 */
export async function migrate(pool: pg.Pool, schema: string): Promise<void> {
  const s = quoteIdentifier(schema);
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1, hashtext($2))', [LOCK_NAMESPACE.migrate, schema]);
    try {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
      await client.query(`CREATE TABLE IF NOT EXISTS ${s}.migrations (
        version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
      const { rows } = await client.query<{ version: number }>(`SELECT version FROM ${s}.migrations`);
      const applied = new Set(rows.map((row) => row.version));
      const newest = Math.max(0, ...applied);
      if (newest > LATEST_VERSION) {
        throw new Error(`PostgreSQL event store: schema ${schema} is at version ${newest}, newer than this provsync knows (${LATEST_VERSION}); upgrade provsync`);
      }
      for (const migration of MIGRATIONS) {
        if (applied.has(migration.version)) continue;
        await client.query('BEGIN');
        try {
          await client.query(migration.sql(s));
          await client.query(`INSERT INTO ${s}.migrations (version, name) VALUES ($1, $2)`, [migration.version, migration.name]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK');
          throw error;
        }
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1, hashtext($2))', [LOCK_NAMESPACE.migrate, schema]);
    }
  } finally {
    client.release();
  }
}
