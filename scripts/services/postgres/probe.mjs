// Does a PostgreSQL answer at this URL? Exit 0 when `SELECT 1` succeeds within a few seconds, 1 when not.
//   node probe.mjs <url>            probe
//   node probe.mjs --display <url>  print host:port/database (no user, no password) for messages
import pg from 'pg';

const args = process.argv.slice(2);
if (args[0] === '--display') {
  const url = new URL(args[1]);
  console.log(`${url.hostname || 'localhost'}:${url.port || '5432'}${url.pathname}`);
  process.exit(0);
}
const url = new URL(args[0]);
url.searchParams.delete('schema');
const client = new pg.Client({ connectionString: url.toString(), connectionTimeoutMillis: 3000 });
client.on('error', () => undefined);
try {
  await client.connect();
  await client.query('SELECT 1');
  await client.end();
  process.exit(0);
} catch {
  process.exit(1);
}
