import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { createTestTopics, produce, requireBroker, TEST_BROKERS, withAdmin } from '../../testing/kafka/kafka-test-broker.js';
import { KAFKA_DEFAULTS } from '../config/kafka-config.js';
import { KafkaLagProbe } from './kafka-lag.js';

describe('KafkaLagProbe against a real broker', () => {
  before(requireBroker);

  it("reads the group's lag per partition: everything before the first commit, the rest after one", async () => {
    const { topic, groupId, dlqTopic } = await createTestTopics(2);
    await produce(topic, Array.from({ length: 12 }, (_, i) => ({ key: `entity-${i}`, value: `{"n":${i}}` })));
    const ends = await withAdmin((admin) => admin.fetchTopicOffsets(topic));
    const high = new Map(ends.map((p) => [p.partition, Number(p.high)]));
    assert.equal([...high.values()].reduce((a, b) => a + b, 0), 12);

    const probe = new KafkaLagProbe({ ...KAFKA_DEFAULTS, brokers: TEST_BROKERS, topic, groupId, dlqTopic, tuning: {} });
    try {
      const before = await probe.lag();
      assert.deepEqual(before.map((p) => [p.partition, p.lag]).sort(), [[0, high.get(0)], [1, high.get(1)]]);

      await withAdmin((admin) => admin.setOffsets({ groupId, topic, partitions: [{ partition: 0, offset: String(high.get(0)! - 1) }] }));
      await new Promise((resolve) => setTimeout(resolve, 2_100)); // past the probe's reuse window
      const after = await probe.lag();
      assert.deepEqual(after.map((p) => [p.partition, p.lag]).sort(), [[0, 1], [1, high.get(1)]]);
    } finally {
      await probe.close();
    }
  });

  it('answers with what it last knew (nothing yet) when no broker answers, rather than failing the scrape', async () => {
    const probe = new KafkaLagProbe({ ...KAFKA_DEFAULTS, brokers: ['127.0.0.1:1'], tuning: {} });
    assert.deepEqual(await probe.lag(), []);
    await probe.close();
  });
});
