import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type EventStore, type RecordedEvent, WrongExpectedRevisionError } from './event-store.port.js';

/**
 * The behaviour every EventStore adapter must show. Each adapter's spec calls this with a factory that
 * gives a fresh, empty store.
 */
export function describeEventStoreContract(name: string, openEmptyStore: () => Promise<EventStore>): void {
  describe(`${name} honours the event store contract`, () => {
    let store: EventStore;
    before(async () => {
      store = await openEmptyStore();
    });
    after(async () => {
      await store.close();
    });

    const event = (type: string, n: number, idempotencyKey?: string) => ({ type, data: { n }, metadata: { m: n }, idempotencyKey });

    it('appends to a new stream and reads it back in order with revisions and metadata', async () => {
      const result = await store.append([{ stream: 'a-1', events: [event('Added', 1), event('Added', 2)], expectedRevision: 'no_stream' }]);
      assert.deepEqual(result, { revisions: { 'a-1': 1 }, duplicates: [] });
      const events = await store.readStream('a-1');
      assert.deepEqual(events.map((e) => [e.revision, e.type, e.data, e.metadata]), [
        [0, 'Added', { n: 1 }, { m: 1 }],
        [1, 'Added', { n: 2 }, { m: 2 }],
      ]);
      assert.ok(events[0].position < events[1].position);
      assert.ok(!Number.isNaN(Date.parse(events[0].recordedAt)));
    });

    it('reads a stream from a revision, and an unknown stream as empty', async () => {
      assert.deepEqual((await store.readStream('a-1', 1)).map((e) => e.data), [{ n: 2 }]);
      assert.deepEqual(await store.readStream('nobody'), []);
    });

    it('refuses an append whose expected revision is stale, and stores nothing of it', async () => {
      await assert.rejects(
        store.append([{ stream: 'a-1', events: [event('Added', 3)], expectedRevision: 0 }]),
        (error: unknown) => error instanceof WrongExpectedRevisionError && error.actual === 1 && error.stream === 'a-1',
      );
      await assert.rejects(store.append([{ stream: 'a-1', events: [event('Added', 3)], expectedRevision: 'no_stream' }]), WrongExpectedRevisionError);
      assert.equal((await store.readStream('a-1')).length, 2);
    });

    it('appends to several streams atomically: one stale write stores none of them', async () => {
      await assert.rejects(
        store.append([
          { stream: 'b-1', events: [event('Added', 1)], expectedRevision: 'no_stream' },
          { stream: 'a-1', events: [event('Added', 9)], expectedRevision: 5 },
        ]),
        WrongExpectedRevisionError,
      );
      assert.deepEqual(await store.readStream('b-1'), []);
      const ok = await store.append([
        { stream: 'b-1', events: [event('Added', 1)], expectedRevision: 'no_stream' },
        { stream: 'a-1', events: [event('Added', 3)], expectedRevision: 1 },
      ]);
      assert.deepEqual(ok.revisions, { 'b-1': 0, 'a-1': 2 });
    });

    it('stores an idempotency key once, reports the duplicate and checks revisions after dropping it', async () => {
      const first = await store.append([{ stream: 'c-1', events: [event('Seen', 1, 'src|id-1')], expectedRevision: 'any' }]);
      assert.deepEqual(first.duplicates, []);
      const again = await store.append([
        { stream: 'c-1', events: [event('Seen', 1, 'src|id-1'), event('Seen', 2, 'src|id-2')], expectedRevision: 0 },
      ]);
      assert.deepEqual(again, { revisions: { 'c-1': 1 }, duplicates: ['src|id-1'] });
      const onlyDuplicates = await store.append([{ stream: 'c-1', events: [event('Seen', 2, 'src|id-2')], expectedRevision: 0 }]);
      assert.deepEqual(onlyDuplicates, { revisions: { 'c-1': 1 }, duplicates: ['src|id-2'] }, 'a write of duplicates alone never conflicts');
      assert.deepEqual((await store.readStream('c-1')).map((e) => [e.data, e.idempotencyKey]), [[{ n: 1 }, 'src|id-1'], [{ n: 2 }, 'src|id-2']]);
      assert.equal((await store.readStream('a-1'))[0].idempotencyKey, undefined, 'an event appended without a key reads back without one');
    });

    it('reads everything after a global position, in order, paged and filtered by type', async () => {
      await store.append([{ stream: 'd-1', events: [event('Other', 1), event('Wanted', 2)], expectedRevision: 'any' }]);
      const all = await store.readAll({ after: 0n, limit: 1000 });
      assert.equal(all.length, await store.count());
      assert.deepEqual(all.map((e) => e.position), [...all.map((e) => e.position)].sort((x, y) => (x < y ? -1 : 1)));
      const page = await store.readAll({ after: all[1].position, limit: 2 });
      assert.deepEqual(page.map((e) => e.position), [all[2].position, all[3].position]);
      const wanted = await store.readAll({ after: 0n, limit: 1000, types: ['Wanted'] });
      assert.deepEqual(wanted.map((e) => e.data), [{ n: 2 }]);
      assert.equal(await store.count(['Wanted', 'Seen']), 3);
    });

    it('subscribes from a checkpoint: past events first, then new ones as they are appended', async () => {
      const [checkpoint] = (await store.readAll({ after: 0n, limit: 1000 })).slice(-1);
      const seen: RecordedEvent[] = [];
      let arrived: () => void = () => {};
      const twoArrived = new Promise<void>((resolve) => (arrived = resolve));
      const subscription = store.subscribe(checkpoint.position - 1n, async (e) => {
        seen.push(e);
        if (seen.length === 2) arrived();
      });
      await store.append([{ stream: 'e-1', events: [event('Late', 7)], expectedRevision: 'no_stream' }]);
      await twoArrived;
      await subscription.close();
      assert.deepEqual(seen.map((e) => e.position), [checkpoint.position, seen[1].position]);
      assert.deepEqual(seen[1].data, { n: 7 });
    });

    it('imports another store\'s events as they were recorded, in order, and resumes an interrupted import', async () => {
      const source = await store.readAll({ after: 0n, limit: 1000 });
      const target = await openEmptyStore();
      try {
        const half = Math.floor(source.length / 2);
        assert.deepEqual(await target.importEvents(source.slice(0, half)), { imported: half, skipped: 0 });
        // Resumed from an earlier point than where it stopped: what is there already is skipped.
        assert.deepEqual(await target.importEvents(source.slice(1)), { imported: source.length - half, skipped: half - 1 });
        const copied = await target.readAll({ after: 0n, limit: 1000 });
        const shape = (e: RecordedEvent) => [e.stream, e.revision, e.type, e.data, e.metadata, e.recordedAt, e.idempotencyKey];
        assert.deepEqual(copied.map(shape), source.map(shape));
        const again = await target.append([{ stream: 'c-1', events: [event('Seen', 1, 'src|id-1')], expectedRevision: 'any' }]);
        assert.deepEqual(again.duplicates, ['src|id-1'], 'imported idempotency keys still de-duplicate');
        const next = await target.append([{ stream: 'a-1', events: [event('Added', 4)], expectedRevision: 2 }]);
        assert.equal(next.revisions['a-1'], 3, 'appends go on from the imported revisions');
        await assert.rejects(
          target.importEvents([{ ...source[0], stream: 'gap-1', revision: 5 }]),
          WrongExpectedRevisionError,
          'a revision beyond the stream\'s next is a gap, not silently renumbered',
        );
      } finally {
        await target.close();
      }
    });
  });
}
