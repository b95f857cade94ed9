import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { EventStore, RecordedEvent } from '../event-store.port.js';
import { openEventStore } from '../open-event-store.js';
import { TestSchemas } from '../../testing/test-postgres.js';
import { SqliteEventStore } from '../sqlite/sqlite-event-store.js';
import { copyStore, NotACopyError } from './copy-store.js';
import { findLastEvent } from './last-event.js';
import { verifyStores } from './verify-stores.js';

const freshSqlite = async (): Promise<EventStore> => new SqliteEventStore(join(mkdtempSync(join(tmpdir(), 'provsync-copy-')), 'events.db'));
/** PostgreSQL at PROVSYNC_TEST_PG_URL, a schema of its own per store, dropped at the end. */
const schemas = new TestSchemas();
after(() => schemas.dropAll());
const freshPostgres = async (): Promise<EventStore> => openEventStore(schemas.freshUrl());

/** Events over several streams, interleaved, some keyed, with metadata: what a copy must keep. */
async function fill(store: EventStore, events: number): Promise<void> {
  for (let i = 0; i < events; i += 50) {
    const writes = new Map<string, Array<{ type: string; data: unknown; metadata: Record<string, unknown>; idempotencyKey?: string }>>();
    for (let n = i; n < Math.min(events, i + 50); n++) {
      const stream = `person-${n % 7}`;
      const list = writes.get(stream) ?? [];
      list.push({ type: n % 3 ? 'SisChangeRecorded' : 'Other', data: { n, nested: [n, `x${n}`] }, metadata: { batch: i }, idempotencyKey: n % 2 ? `src|${n}` : undefined });
      writes.set(stream, list);
    }
    await store.append([...writes].map(([stream, list]) => ({ stream, events: list, expectedRevision: 'any' as const })));
  }
}

const all = async (store: EventStore): Promise<RecordedEvent[]> => store.readAll({ after: 0n, limit: 1_000_000 });

function describeCopy(name: string, freshSource: () => Promise<EventStore>, freshTarget: () => Promise<EventStore>): void {
  describe(`copying a store (${name})`, () => {
    it('copies every event in order with its stream, revision, time and key, and the copy verifies equal', async () => {
      const [source, target] = [await freshSource(), await freshTarget()];
      await fill(source, 1_234);
      const progress: number[] = [];
      const result = await copyStore(source, target, { pageSize: 100, onProgress: (p) => progress.push(p.done) });
      assert.deepEqual(result, { done: 1_234, total: 1_234, copied: 1_234 });
      assert.equal(progress[0], 0);
      assert.equal(progress.at(-1), 1_234);
      assert.deepEqual(await verifyStores(source, target, { pageSize: 100 }), { equal: true, events: 1_234 });
      const again = await target.append([{ stream: 'person-1', events: [{ type: 'Other', data: {}, idempotencyKey: 'src|1' }], expectedRevision: 'any' }]);
      assert.deepEqual(again.duplicates, ['src|1'], 'the copied keys still de-duplicate');
      await Promise.all([source.close(), target.close()]);
    });

    it('resumes after the target\'s last event instead of copying again what is there', async () => {
      const [source, target] = [await freshSource(), await freshTarget()];
      await fill(source, 900);
      const events = await all(source);
      await target.importEvents(events.slice(0, 377)); // where an interrupted copy stopped
      const result = await copyStore(source, target, { pageSize: 100 });
      assert.deepEqual(result, { done: 900, total: 900, copied: 900 - 377 });
      assert.deepEqual(await verifyStores(source, target), { equal: true, events: 900 });
      await Promise.all([source.close(), target.close()]);
    });

    it('refuses to copy into a store that holds other events', async () => {
      const [source, target] = [await freshSource(), await freshTarget()];
      await fill(source, 20);
      await target.append([{ stream: 'person-0', events: [{ type: 'Mine', data: {} }], expectedRevision: 'no_stream' }]);
      await assert.rejects(copyStore(source, target), NotACopyError);
      await Promise.all([source.close(), target.close()]);
    });

    it('finds a store\'s last event through readAll alone', async () => {
      const store = await freshTarget();
      assert.equal(await findLastEvent(store), undefined);
      for (const n of [1, 2, 3, 5, 64, 65, 1_000]) {
        await fill(store, n);
        const events = await all(store);
        assert.deepEqual(await findLastEvent(store), events.at(-1), `after ${events.length} events`);
      }
      await store.close();
    });

    it('names the first difference by place and field: a changed event, and a store that ends early', async () => {
      const [source, changed, short] = [await freshSource(), await freshTarget(), await freshTarget()];
      await fill(source, 300);
      const events = await all(source);
      await changed.importEvents([...events.slice(0, 150), { ...events[150]!, data: { n: -1 } }, ...events.slice(151)]);
      const differs = await verifyStores(source, changed, { pageSize: 64 });
      assert.equal(differs.equal, false);
      assert.ok(!differs.equal);
      assert.deepEqual(
        { ...differs.difference, sourcePosition: undefined, targetPosition: undefined },
        { index: 150, stream: events[150]!.stream, revision: events[150]!.revision, field: 'data', sourcePosition: undefined, targetPosition: undefined },
      );
      await short.importEvents(events.slice(0, 299));
      const ended = await verifyStores(source, short, { pageSize: 64 });
      assert.ok(!ended.equal && ended.difference.field === 'missing in target' && ended.difference.index === 299);
      await Promise.all([source.close(), changed.close(), short.close()]);
    });
  });
}

describeCopy('SQLite → SQLite', freshSqlite, freshSqlite);
describeCopy('SQLite → PostgreSQL', freshSqlite, freshPostgres);
describeCopy('PostgreSQL → SQLite', freshPostgres, freshSqlite);
