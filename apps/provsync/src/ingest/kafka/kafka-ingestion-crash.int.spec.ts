import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { EventStore } from '@provsync/event-store';
import { PostgresEventStore } from '../../../../../libs/event-store/src/postgres/postgres-event-store.js';
import { TestSchemas } from '../../../../../libs/event-store/testing/test-postgres.js';
import { committedTotal, createTestTopics, produce, requireBroker } from '../../../testing/kafka/kafka-test-broker.js';
import { IngestionProcess } from '../../../testing/kafka/ingestion-process.js';
import { keepProducing, personChanges, type TestChange } from '../../../testing/kafka/sis-change-messages.js';
import { countChanges, rejectedInputs, storedOnceReport, streamsOutOfOrder, waitFor } from '../../../testing/kafka/stored-changes.js';
import { openTestStore, tempStoreFile } from '../../../testing/kafka/test-store.js';

/** The suite runs 20; the soak script (npm run soak:kafka) sets more. */
const RUNS = Number(process.env['KAFKA_CRASH_RUNS'] ?? 20);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface CrashTestStore {
  /** What the ingestion processes get: their PROVSYNC_STORE. */
  target: { storeFile: string } | { storeUrl: string };
  open(): Promise<EventStore>;
  remove(): Promise<void>;
}

/** The same test on each store provsync can ingest into: the embedded file, and PostgreSQL. */
const STORES: Record<string, () => CrashTestStore> = {
  'the embedded SQLite store': () => {
    const temp = tempStoreFile();
    return { target: { storeFile: temp.file }, open: async () => openTestStore(temp.file), remove: async () => temp.remove() };
  },
  PostgreSQL: () => {
    const schemas = new TestSchemas();
    const url = schemas.freshUrl();
    return { target: { storeUrl: url }, open: () => PostgresEventStore.open(url), remove: () => schemas.dropAll() };
  },
};

for (const [storeName, makeStore] of Object.entries(STORES)) {
  describe(`Kafka ingestion into ${storeName} killed with SIGKILL at random points`, () => {
    const storeUnderTest = makeStore();
    before(requireBroker);
    after(() => storeUnderTest.remove());

    it(`loses nothing and stores nothing twice over ${RUNS} kills`, { timeout: 60_000 + RUNS * 15_000 }, async (t) => {
      const { topic, dlqTopic, groupId } = await createTestTopics(4);
      const produced: TestChange[] = personChanges(100, 10);
      await produce(topic, produced);
      const store = await storeUnderTest.open();
      // The SIS keeps producing throughout, so kills land while batches are being stored and committed.
      const sis = keepProducing(topic, produced);
      let killedWithUncommittedWork = 0;

      for (let run = 1; run <= RUNS; run++) {
        const clientId = `crash-${run}`;
        // Runs take turns: killed from outside at a random moment after joining; killed while starting or
        // joining; killing itself right after a random append, before that batch's commit.
        const mode = run % 3;
        if (mode === 2) {
          const crashAfterAppends = 1 + Math.floor(Math.random() * 5);
          const consumer = new IngestionProcess({ topic, dlqTopic, groupId, ...storeUnderTest.target, clientId, crashAfterAppends });
          assert.equal(await consumer.ended(), 'SIGKILL');
        } else {
          const consumer = new IngestionProcess({ topic, dlqTopic, groupId, ...storeUnderTest.target, clientId });
          if (mode === 0) await sleep(Math.random() * 1500);
          else await consumer.joined.then(() => sleep(Math.random() * 1000));
          await consumer.kill();
        }
        const [stored, committed] = await Promise.all([countChanges(store), committedTotal(groupId, topic)]);
        if (stored > committed) killedWithUncommittedWork += 1;
      }
      await sis.stop();

      const finisher = new IngestionProcess({ topic, dlqTopic, groupId, ...storeUnderTest.target, clientId: 'crash-finisher' });
      await waitFor('every offset committed by a fresh consumer', async () => (await committedTotal(groupId, topic)) === produced.length, 120_000);
      const { code } = await finisher.terminate();

      assert.equal(code, 0);
      assert.deepEqual(await storedOnceReport(store, produced), { stored: produced.length, missing: 0, twice: 0, unexpected: 0 });
      assert.deepEqual(await streamsOutOfOrder(store), []);
      assert.deepEqual(await rejectedInputs(store), []);
      t.diagnostic(`${RUNS} kills, ${killedWithUncommittedWork} of them after an append and before its commit; ${produced.length} changes stored once each`);
      await store.close();
    });
  });
}
