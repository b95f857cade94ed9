import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';

const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * Where the tests' PostgreSQL is: PROVSYNC_TEST_PG_URL (default the local server), unless
 * scripts/services/start.sh found nothing answering there and started one itself; it records that in
 * .services/postgres/url as `<requested URL> <URL used>`.
 */
export function testPostgresUrl(): string {
  const requested = process.env.PROVSYNC_TEST_PG_URL?.trim() || DEFAULT_URL;
  try {
    const [recordedFor, used] = readFileSync(join(process.cwd(), '.services/postgres/url'), 'utf8').trim().split(/\s+/);
    if (recordedFor === requested && used) return used;
  } catch {
    // Nothing recorded: the requested server is used as it is.
  }
  return requested;
}

/** Hands out store URLs, each naming a schema of its own, and drops those schemas when done. */
export class TestSchemas {
  private readonly created: string[] = [];

  constructor(private readonly base = testPostgresUrl()) {}

  /** A store URL with a new schema (created by the store itself when it opens). */
  freshUrl(): string {
    const schema = `test_${randomBytes(6).toString('hex')}`;
    this.created.push(schema);
    const url = new URL(this.base);
    url.searchParams.set('schema', schema);
    return url.toString();
  }

  async dropAll(): Promise<void> {
    if (!this.created.length) return;
    const client = new pg.Client({ connectionString: this.base });
    await client.connect();
    try {
      for (const schema of this.created.splice(0)) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    } finally {
      await client.end();
    }
  }
}
