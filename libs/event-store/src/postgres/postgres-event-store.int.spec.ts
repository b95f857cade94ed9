import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import { describeEventStoreContract } from '../event-store.contract.js';
import { openEventStore } from '../open-event-store.js';
import type { RecordedEvent } from '../event-store.port.js';
import { LATEST_VERSION } from './postgres-migrations.js';
import { CHANNEL, PostgresNotifications } from './postgres-notifications.js';
import { PostgresEventStore } from './postgres-event-store.js';
import { TestSchemas } from '../../testing/test-postgres.js';

const schemas = new TestSchemas();
after(() => schemas.dropAll());

describeEventStoreContract('PostgresEventStore', () => PostgresEventStore.open(schemas.freshUrl()));

describe('PostgresEventStore schema', () => {
  it('is created and migrated once when several processes open a new store at the same moment', async () => {
    const url = schemas.freshUrl();
    const stores = await Promise.all(Array.from({ length: 5 }, () => PostgresEventStore.open(url)));
    await stores[0]!.append([{ stream: 's-1', events: [{ type: 'Kept', data: {} }], expectedRevision: 'no_stream' }]);
    assert.equal(await stores[4]!.count(), 1);
    await Promise.all(stores.map((store) => store.close()));
    const client = new pg.Client({ connectionString: url.replace(/\?.*$/, '') });
    await client.connect();
    const { rows } = await client.query(`SELECT version FROM "${new URL(url).searchParams.get('schema')}".migrations ORDER BY version`);
    await client.end();
    assert.deepEqual(rows.map((row) => row.version), Array.from({ length: LATEST_VERSION }, (_, i) => i + 1));
  });

  it('is what PROVSYNC_STORE=postgres://… and postgresql://… open', async () => {
    const url = schemas.freshUrl();
    for (const spelling of [url, url.replace(/^postgres:/, 'postgresql:')]) {
      const store = await openEventStore(spelling);
      assert.ok(store instanceof PostgresEventStore);
      await store.close();
    }
  });

  it('keeps what it stored across a reopen, idempotency keys included', async () => {
    const url = schemas.freshUrl();
    const first = await PostgresEventStore.open(url);
    await first.append([{ stream: 's-1', events: [{ type: 'Kept', data: { a: 1 }, idempotencyKey: 'k' }], expectedRevision: 'no_stream' }]);
    await first.close();
    const reopened = await PostgresEventStore.open(url);
    assert.deepEqual((await reopened.readStream('s-1')).map((e) => e.data), [{ a: 1 }]);
    const again = await reopened.append([{ stream: 's-1', events: [{ type: 'Kept', data: { a: 1 }, idempotencyKey: 'k' }], expectedRevision: 'any' }]);
    assert.deepEqual(again.duplicates, ['k']);
    await reopened.close();
  });

  it('finishes the appends in flight when closed, refuses appends after, and says where it failed without the password', async () => {
    const url = schemas.freshUrl();
    const store = await PostgresEventStore.open(url);
    const inFlight = store.append([{ stream: 's-1', events: [{ type: 'Kept', data: {} }], expectedRevision: 'no_stream' }]);
    await store.close();
    assert.deepEqual((await inFlight).revisions, { 's-1': 0 });
    const reopened = await PostgresEventStore.open(url);
    assert.equal(await reopened.count(), 1);
    await reopened.close();
    await assert.rejects(store.append([{ stream: 's-1', events: [{ type: 'Kept', data: {} }], expectedRevision: 'any' }]), /closed/);
    await assert.rejects(PostgresEventStore.open('postgres://someone:s3cret@127.0.0.1:1/nowhere'), (error: Error) => {
      assert.match(error.message, /PostgreSQL event store at 127\.0\.0\.1:1\/nowhere \(schema provsync\): could not open the store/);
      assert.doesNotMatch(error.message, /s3cret/);
      return true;
    });
  });
});

describe('PostgresEventStore across processes', () => {
  it('wakes listeners when another connection commits events to its schema, and not for another schema', async () => {
    const url = schemas.freshUrl();
    const schema = new URL(url).searchParams.get('schema')!;
    const notifications = new PostgresNotifications(url.replace(/\?.*$/, ''), schema);
    let woken = 0;
    let onWake: () => void = () => {};
    notifications.listen(() => {
      woken++;
      onWake();
    });
    const client = new pg.Client({ connectionString: url.replace(/\?.*$/, '') });
    await client.connect();
    // The first wake comes when the LISTEN connection is up (it catches up what it may have missed).
    while (woken === 0) await new Promise<void>((resolve) => (onWake = resolve));
    const before = woken;
    await client.query('SELECT pg_notify($1, $2)', [CHANNEL, 'some_other_schema']);
    const wokenAgain = new Promise<void>((resolve) => (onWake = resolve));
    await client.query('SELECT pg_notify($1, $2)', [CHANNEL, schema]);
    await wokenAgain;
    await client.end();
    await notifications.close();
    // Notifications on one connection arrive in order, so the other schema's came first and was ignored.
    assert.equal(woken, before + 1);
  });
});

describe('PostgresEventStore global order under concurrent appends', () => {
  const ROUNDS = 20;
  const APPENDERS = 20;
  const APPENDS_EACH = 8;

  for (let round = 1; round <= ROUNDS; round++) {
    it(`round ${round}: a subscriber and a paging reader see every event once, in position order, while ${APPENDERS} appenders write`, async () => {
      const url = schemas.freshUrl();
      const appenders = await Promise.all(Array.from({ length: APPENDERS }, () => PostgresEventStore.open(url)));
      const reading = await PostgresEventStore.open(url);
      const subscribed: RecordedEvent[] = [];
      let onEvent: () => void = () => {};
      const subscription = reading.subscribe(0n, async (event) => {
        subscribed.push(event);
        onEvent();
      });
      const paged: RecordedEvent[] = [];
      let appending = true;
      const pager = (async () => {
        let position = 0n;
        for (;;) {
          const done = !appending;
          const page = await reading.readAll({ after: position, limit: 7 });
          paged.push(...page);
          if (page.length) position = page[page.length - 1]!.position;
          else if (done) return;
        }
      })();

      const written: string[] = [];
      await Promise.all(
        appenders.map(async (store, a) => {
          for (let i = 0; i < APPENDS_EACH; i++) {
            const keys = Array.from({ length: 1 + ((a + i) % 5) }, (_, e) => `r${round}-a${a}-i${i}-e${e}`);
            written.push(...keys);
            // Several streams per append, some shared between appenders, so appends also contend on rows.
            await store.append([
              { stream: `own-${a}`, events: keys.slice(0, 1).map((key) => ({ type: 'T', data: { key }, idempotencyKey: key })), expectedRevision: 'any' },
              { stream: `shared-${i % 3}`, events: keys.slice(1).map((key) => ({ type: 'T', data: { key }, idempotencyKey: key })), expectedRevision: 'any' },
            ]);
          }
        }),
      );
      appending = false;
      await pager;
      // Wait for the subscriber to reach the last event, not for a count: a subscriber that skipped one must fail, not hang.
      const last = paged[paged.length - 1]!.position;
      while ((subscribed[subscribed.length - 1]?.position ?? 0n) < last) await new Promise<void>((resolve) => (onEvent = resolve));
      await subscription.close();
      await Promise.all([...appenders, reading].map((store) => store.close()));

      for (const [name, seen] of [['subscriber', subscribed], ['paging reader', paged]] as const) {
        const positions = seen.map((e) => e.position);
        assert.ok(positions.every((p, i) => i === 0 || p > positions[i - 1]!), `${name}: positions strictly increasing`);
        assert.deepEqual(seen.map((e) => e.idempotencyKey).sort(), [...written].sort(), `${name}: every event exactly once`);
      }
    });
  }
});
