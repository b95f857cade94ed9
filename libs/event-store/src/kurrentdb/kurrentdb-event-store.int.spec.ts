import { randomUUID } from 'node:crypto';
import { describe } from 'node:test';
import { describeEventStoreContract } from '../event-store.contract.js';
import { KurrentEventStore } from './kurrentdb-event-store.js';
import { parseKurrentDbUrl } from './kurrentdb-url.js';

/**
 * The contract suite against a real KurrentDB / EventStoreDB, e.g.
 * KURRENTDB_URL='kurrentdb://127.0.0.1:2113?tls=false'. A server cannot be wiped, so each store the suite asks
 * for is a fresh stream prefix on it. No server can be installed on the machines this was written on: without
 * the variable the suite is reported as skipped, with the reason.
 */
const url = process.env.KURRENTDB_URL;

if (url) {
  const { connectionString } = parseKurrentDbUrl(url);
  describeEventStoreContract('KurrentEventStore', async () => new KurrentEventStore({ connectionString, streamPrefix: `provsync-test-${randomUUID()}-` }));
} else {
  describe('KurrentEventStore honours the event store contract', { skip: 'KURRENTDB_URL is not set: no KurrentDB server to run the contract suite against' }, () => {});
}
