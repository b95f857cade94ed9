/**
 * Test entry: a process that wants an organiser's sync lease. Prints `acquired` once it holds it, then holds it
 * until killed; prints `lost` and exits 3 should the lease be lost. argv: <store URL> <organiser>.
 */
import { PostgresSyncLease } from '../src/postgres/postgres-sync-lease.js';

const [url, organiser] = process.argv.slice(2);
const lease = await new PostgresSyncLease(url!).acquire(organiser!);
process.stdout.write('acquired\n');
lease.lost.addEventListener('abort', () => {
  process.stdout.write('lost\n');
  process.exit(3);
});
setInterval(() => undefined, 60_000);
