/** Where a PostgreSQL store lives: a pg connection string, the schema its tables are in, and a name safe to print. */
export interface PostgresLocation {
  connectionString: string;
  schema: string;
  /** host:port/database, without user or password: for error messages and logs. */
  display: string;
}

export const DEFAULT_SCHEMA = 'provsync';
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Reads `postgres://user[:password]@host[:port]/database[?schema=name]` (or `postgresql://`). The `schema`
 * parameter is provsync's own and is not passed on to the driver; every other parameter (sslmode, …) is.
 */
export function parsePostgresUrl(url: string): PostgresLocation {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error('PROVSYNC_STORE: not a valid postgres:// URL');
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new Error(`PROVSYNC_STORE: expected postgres:// or postgresql://, got ${parsed.protocol}//`);
  }
  const schema = parsed.searchParams.get('schema') ?? DEFAULT_SCHEMA;
  if (!SCHEMA_NAME.test(schema)) {
    throw new Error('PROVSYNC_STORE: schema must be lower-case letters, digits and _ (at most 63), starting with a letter or _');
  }
  parsed.searchParams.delete('schema');
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || '(default database)';
  return {
    connectionString: parsed.toString(),
    schema,
    display: `${parsed.hostname || 'localhost'}:${parsed.port || '5432'}/${database}`,
  };
}

/** A schema name quoted for SQL (already checked against SCHEMA_NAME). */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
