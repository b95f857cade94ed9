import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KafkaConfigError, kafkaIngestionConfigFromEnv } from './kafka-ingestion-config.js';

describe('Kafka ingestion settings from the environment', () => {
  it('is off without KAFKA_BROKERS', () => {
    assert.equal(kafkaIngestionConfigFromEnv({}), undefined);
    assert.equal(kafkaIngestionConfigFromEnv({ KAFKA_BROKERS: '  ' }), undefined);
  });

  it('defaults the topic, group and dead-letter topic', () => {
    assert.deepEqual(kafkaIngestionConfigFromEnv({ KAFKA_BROKERS: '127.0.0.1:19092, kafka-2.kommun.local:9092' }), {
      brokers: ['127.0.0.1:19092', 'kafka-2.kommun.local:9092'],
      topic: 'sis.changes',
      groupId: 'provsync',
      dlqTopic: 'sis.changes.dlq',
    });
  });

  it('takes KAFKA_TOPIC, KAFKA_GROUP_ID and KAFKA_DLQ_TOPIC', () => {
    const config = kafkaIngestionConfigFromEnv({
      KAFKA_BROKERS: '127.0.0.1:19092', KAFKA_TOPIC: 'sis.changes.v2', KAFKA_GROUP_ID: 'provsync-0180', KAFKA_DLQ_TOPIC: 'sis.dlq',
    });
    assert.deepEqual([config?.topic, config?.groupId, config?.dlqTopic], ['sis.changes.v2', 'provsync-0180', 'sis.dlq']);
  });

  it('names the variable and the fix when a value is wrong', () => {
    assert.throws(() => kafkaIngestionConfigFromEnv({ KAFKA_BROKERS: 'localhost' }), (error: unknown) =>
      error instanceof KafkaConfigError && /KAFKA_BROKERS: "localhost" is not host:port/.test(error.message));
    assert.throws(() => kafkaIngestionConfigFromEnv({ KAFKA_BROKERS: '127.0.0.1:1', KAFKA_TOPIC: 'sis changes' }), /KAFKA_TOPIC: "sis changes" is not a Kafka topic name/);
  });
});
