import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
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

/** A port on this machine that nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('KurrentEventStore without a server', () => {
  it('fails every call with an error (the client takes each call as the adapter shapes it) and a subscription that cannot connect still closes', async () => {
    const store = KurrentEventStore.open(`kurrentdb://127.0.0.1:${await closedPort()}?tls=false&streamPrefix=t-`);
    const event = { type: 'T', data: { n: 1 }, metadata: { m: 1 } };
    const calls: Record<string, () => Promise<unknown>> = {
      readStream: () => store.readStream('a-1', 3),
      readAll: () => store.readAll({ after: (7n << 64n) | 7n, limit: 10, types: ['T'] }),
      count: () => store.count(),
      lastEvent: () => store.lastEvent(),
      'append of keyed events': () => store.append([{ stream: 'a-1', events: [{ ...event, idempotencyKey: 'k' }], expectedRevision: 'no_stream' }]),
      'append to one stream': () => store.append([{ stream: 'a-1', events: [event], expectedRevision: 4 }]),
      'append to two streams': () =>
        store.append([
          { stream: 'a-1', events: [event], expectedRevision: 'any' },
          { stream: 'b-1', events: [event], expectedRevision: 'no_stream' },
        ]),
      importEvents: () => store.importEvents([{ stream: 'a-1', revision: 0, position: 1n, ...event, recordedAt: '2026-01-01T00:00:00.000Z' }]),
    };
    for (const [name, call] of Object.entries(calls)) {
      await assert.rejects(call(), (error: unknown) => error instanceof Error && /unavailable|ECONNREFUSED/i.test(`${error.name} ${error.message}`), name);
    }
    // Whether its connection failed yet or not, a subscription that cannot connect closes (with that failure, if any).
    const subscription = store.subscribe(0n, async () => assert.fail('no event can arrive'));
    await subscription.close().catch((error: unknown) => assert.match(String(error), /unavailable/i));
    await store.close();
  });
});
