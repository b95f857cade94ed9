/** Kafka ingestion's settings, read once from the environment at start-up. */
export interface KafkaIngestionConfig {
  brokers: string[];
  topic: string;
  groupId: string;
  dlqTopic: string;
}

export const KAFKA_DEFAULTS = { topic: 'sis.changes', groupId: 'provsync', dlqTopic: 'sis.changes.dlq' } as const;

export class KafkaConfigError extends Error {
  readonly code = 'KAFKA_CONFIG_INVALID';
}

/**
 * KAFKA_BROKERS (host:port, comma-separated; unset → Kafka ingestion is off), KAFKA_TOPIC,
 * KAFKA_GROUP_ID, KAFKA_DLQ_TOPIC. Throws KafkaConfigError naming the variable that is wrong.
 */
export function kafkaIngestionConfigFromEnv(env: NodeJS.ProcessEnv = process.env): KafkaIngestionConfig | undefined {
  const brokersText = env['KAFKA_BROKERS']?.trim();
  if (!brokersText) return undefined;
  const brokers = brokersText.split(',').map((broker) => broker.trim()).filter((broker) => broker !== '');
  for (const broker of brokers) {
    if (!/^[A-Za-z0-9.\-]+:\d{1,5}$/.test(broker) && !/^\[[0-9A-Fa-f:]+\]:\d{1,5}$/.test(broker)) {
      throw new KafkaConfigError(`KAFKA_BROKERS: "${broker}" is not host:port (e.g. 127.0.0.1:19092); separate brokers with commas`);
    }
  }
  return {
    brokers,
    topic: topicName(env, 'KAFKA_TOPIC', KAFKA_DEFAULTS.topic),
    groupId: nonEmpty(env, 'KAFKA_GROUP_ID', KAFKA_DEFAULTS.groupId),
    dlqTopic: topicName(env, 'KAFKA_DLQ_TOPIC', KAFKA_DEFAULTS.dlqTopic),
  };
}

function nonEmpty(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const value = env[name]?.trim();
  return value ? value : fallback;
}

function topicName(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const value = nonEmpty(env, name, fallback);
  if (!/^[A-Za-z0-9._-]{1,249}$/.test(value)) {
    throw new KafkaConfigError(`${name}: "${value}" is not a Kafka topic name (letters, digits, '.', '_', '-'; at most 249)`);
  }
  return value;
}
