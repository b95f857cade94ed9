import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { SisChangeRecorder } from '../../recording/sis-input.js';
import { EventStoreSisChangeRecorder } from '../../recording/event-store-sis-change-recorder.js';
import { DEAD_LETTER_HEADERS } from './dead-letters.js';
import { type KafkaTuning, startKafkaIngestion } from './kafka-ingestion.js';
import { committedTotal, createTestTopics, produce, readTopic, requireBroker, TEST_BROKERS } from '../../../testing/kafka/kafka-test-broker.js';
import { notJsonMessage, offContractMessage, oversizedMessage, personChanges, TEST_CIVIC_NO } from '../../../testing/kafka/sis-change-messages.js';
import { countChanges, rejectedInputs, storedOnceReport, streamsOutOfOrder, waitFor } from '../../../testing/kafka/stored-changes.js';
import { collectingLogger, openTestStore, tempStoreFile } from '../../../testing/kafka/test-store.js';

const TUNING: Partial<KafkaTuning> = { sessionTimeoutMs: 3000, heartbeatIntervalMs: 300, heartbeatEveryMs: 300 };

describe('Kafka ingestion through a real broker', () => {
  const temp = tempStoreFile();
  before(requireBroker);
  after(() => temp.remove());

  it('stores N produced events exactly once, each entity in order, and commits their offsets', async () => {
    const { topic, dlqTopic, groupId } = await createTestTopics(4);
    const store = openTestStore(`${temp.file}.exactly-once`);
    const changes = personChanges(100, 5);
    const resent = changes.slice(0, 50);
    await produce(topic, [...changes, ...resent]);

    const ingestion = await startKafkaIngestion({
      brokers: TEST_BROKERS, topic, dlqTopic, groupId, recorder: new EventStoreSisChangeRecorder(store), logger: collectingLogger().logger, tuning: TUNING,
    });
    await waitFor('every offset committed', async () => (await committedTotal(groupId, topic)) === changes.length + resent.length);
    await ingestion.stop();

    assert.deepEqual(await storedOnceReport(store, changes), { stored: changes.length, missing: 0, twice: 0, unexpected: 0 });
    assert.deepEqual(await streamsOutOfOrder(store), []);
    const stats = ingestion.stats();
    assert.equal(stats.recorded, changes.length);
    assert.equal(stats.stale, 0);
    assert.equal(stats.duplicates, resent.length, 'a change the SIS sent twice is a duplicate, recorded once');
    await store.close();
  });

  it('sends malformed, off-contract and oversized messages to the dead-letter topic and the rejected list; the rest flows', async () => {
    const { topic, dlqTopic, groupId } = await createTestTopics(1);
    const store = openTestStore(`${temp.file}.dlq`);
    const valid = personChanges(20, 1);
    const bad = [notJsonMessage(), offContractMessage(), oversizedMessage()];
    // One partition: every bad message sits in front of valid ones it must not block.
    const messages = [...valid.slice(0, 5), bad[0]!, ...valid.slice(5, 10), bad[1]!, ...valid.slice(10, 15), bad[2]!, ...valid.slice(15)];
    const badOffsets = ['5', '11', '17'];
    await produce(topic, messages);

    const { logger, lines } = collectingLogger();
    const ingestion = await startKafkaIngestion({
      brokers: TEST_BROKERS, topic, dlqTopic, groupId, recorder: new EventStoreSisChangeRecorder(store), logger, tuning: TUNING,
    });
    await waitFor('every offset committed', async () => (await committedTotal(groupId, topic)) === messages.length);
    await ingestion.stop();

    assert.deepEqual(await storedOnceReport(store, valid), { stored: valid.length, missing: 0, twice: 0, unexpected: 0 });
    const rejected = await rejectedInputs(store);
    assert.deepEqual(rejected.map((r) => r.receipt.kafka?.offset), badOffsets);
    assert.ok(rejected.every((r) => r.problems.length > 0));
    assert.match(rejected[0]!.problems[0]!.reason, /not valid JSON/);
    assert.ok(rejected[1]!.problems.some((p) => p.field === 'type'), 'the off-contract message is refused for its missing type');
    assert.match(rejected[2]!.problems[0]!.reason, /at most 262144 bytes/);

    const letters = await readTopic(dlqTopic, bad.length);
    assert.deepEqual(letters.map((l) => l.headers[DEAD_LETTER_HEADERS.originalOffset]), badOffsets);
    for (const [i, letter] of letters.entries()) {
      assert.equal(letter.headers[DEAD_LETTER_HEADERS.originalTopic], topic);
      assert.equal(letter.headers[DEAD_LETTER_HEADERS.originalPartition], '0');
      assert.ok(letter.headers[DEAD_LETTER_HEADERS.reason]!.length > 0);
      assert.equal(letter.key, bad[i]!.key);
      assert.equal(letter.value?.toString(), bad[i]!.value, 'the dead letter carries the original message');
    }

    assert.equal(lines.filter((l) => l.includes('joined the consumer group')).length, 1, 'bad messages never restart the consumer');
    const log = lines.join('\n');
    for (const personal of [TEST_CIVIC_NO, 'Lisa', 'Johansson']) assert.ok(!log.includes(personal), `"${personal}" reached the logs`);
    await store.close();
  });

  it('pauses fetching and keeps its group membership while the store is slower than the session timeout', async () => {
    const { topic, dlqTopic, groupId } = await createTestTopics(2);
    const store = openTestStore(`${temp.file}.slow`);
    const changes = personChanges(50, 4);
    await produce(topic, changes);
    const real = new EventStoreSisChangeRecorder(store);
    let calls = 0;
    const slowAtFirst: SisChangeRecorder = {
      async record(inputs) {
        // One append far slower than the session: only heartbeats sent meanwhile keep this member in the group.
        if (calls++ === 0) await new Promise((resolve) => setTimeout(resolve, 2.5 * TUNING.sessionTimeoutMs!));
        return real.record(inputs);
      },
    };

    const { logger, lines } = collectingLogger();
    const ingestion = await startKafkaIngestion({
      brokers: TEST_BROKERS, topic, dlqTopic, groupId, recorder: slowAtFirst, logger, tuning: { ...TUNING, slowAppendMs: 500 },
    });
    await waitFor('every offset committed', async () => (await committedTotal(groupId, topic)) === changes.length);
    await ingestion.stop();

    assert.deepEqual(await storedOnceReport(store, changes), { stored: changes.length, missing: 0, twice: 0, unexpected: 0 });
    assert.ok(ingestion.stats().pauses >= 1, 'fetching paused while the store was slow');
    assert.equal(lines.filter((l) => l.includes('joined the consumer group')).length, 1, 'the slow append cost no rebalance');
    assert.equal(await countChanges(store), changes.length);
    await store.close();
  });
});
