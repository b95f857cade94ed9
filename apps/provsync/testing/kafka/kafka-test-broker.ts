import { randomUUID } from 'node:crypto';
import kafkajs, { type Admin, type Kafka as KafkaClient } from 'kafkajs';

const { Kafka, logLevel } = kafkajs;

/** The broker `npm run services:start` starts (scripts/services/kafka-start.sh). */
export const TEST_BROKERS = (process.env['KAFKA_TEST_BROKERS'] ?? '127.0.0.1:19092').split(',');

export function testKafka(clientId = 'provsync-tests'): KafkaClient {
  return new Kafka({ clientId, brokers: TEST_BROKERS, logLevel: logLevel.NOTHING, retry: { retries: 3 } });
}

/** Fails with what to do when no broker answers: these tests never skip. */
export async function requireBroker(): Promise<void> {
  const admin = new Kafka({
    clientId: 'provsync-tests-probe', brokers: TEST_BROKERS, logLevel: logLevel.NOTHING,
    connectionTimeout: 2000, retry: { retries: 1 },
  }).admin();
  try {
    await admin.connect();
    await admin.describeCluster();
  } catch (error) {
    throw new Error(
      `No Kafka broker answers at ${TEST_BROKERS.join(',')} (${(error as Error).message}). ` +
        'Start the test services with `npm run services:start` (or point KAFKA_TEST_BROKERS at a broker).',
    );
  } finally {
    await admin.disconnect();
  }
}

/** A fresh topic (and its dead-letter topic) per test, so tests never see each other's messages. */
export async function createTestTopics(partitions: number): Promise<{ topic: string; dlqTopic: string; groupId: string }> {
  const suffix = randomUUID().slice(0, 8);
  const topic = `sis.changes.test-${suffix}`;
  const dlqTopic = `${topic}.dlq`;
  await withAdmin(async (admin) => {
    await admin.createTopics({
      waitForLeaders: false,
      topics: [
        { topic, numPartitions: partitions, configEntries: [{ name: 'max.message.bytes', value: String(2 * 1024 * 1024) }] },
        { topic: dlqTopic, numPartitions: 1, configEntries: [{ name: 'max.message.bytes', value: String(2 * 1024 * 1024) }] },
      ],
    });
    await waitForLeaders(admin, [topic, dlqTopic]);
  });
  return { topic, dlqTopic, groupId: `provsync-test-${suffix}` };
}

/**
 * kafkajs's own waitForLeaders gives up on the UNKNOWN_TOPIC_OR_PARTITION a freshly started broker answers
 * for a moment after creating a topic; this asks again until every partition has a leader.
 */
async function waitForLeaders(admin: Admin, topics: string[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const { topics: described } = await admin.fetchTopicMetadata({ topics });
      if (described.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))) return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    if (Date.now() > deadline) throw new Error(`topics ${topics.join(', ')} have no leaders after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export async function withAdmin<T>(work: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = testKafka().admin();
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.disconnect();
  }
}

/** Produces with key = subject (one entity's changes land on one partition, in order), acks from all replicas. */
export async function produce(topic: string, messages: ReadonlyArray<{ key: string; value: string | Buffer }>, chunk = 500): Promise<void> {
  const producer = testKafka('provsync-tests-producer').producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    for (let i = 0; i < messages.length; i += chunk) {
      await producer.send({ topic, acks: -1, messages: messages.slice(i, i + chunk).map(({ key, value }) => ({ key, value })) });
    }
  } finally {
    await producer.disconnect();
  }
}

/** Sum over partitions of the group's committed offsets (-1, nothing committed, counts as 0). */
export async function committedTotal(groupId: string, topic: string): Promise<number> {
  const [offsets] = await withAdmin((admin) => admin.fetchOffsets({ groupId, topics: [topic] }));
  return (offsets?.partitions ?? []).reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
}

/** Every message on a topic, read from the start by a throwaway group. */
export async function readTopic(topic: string, expected: number, timeoutMs = 30_000) {
  const consumer = testKafka('provsync-tests-reader').consumer({ groupId: `reader-${randomUUID()}` });
  const messages: Array<{ partition: number; offset: string; key: string | null; value: Buffer | null; headers: Record<string, string> }> = [];
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`read ${messages.length} of ${expected} messages from ${topic} in ${timeoutMs} ms`)), timeoutMs);
      void consumer.run({
        eachMessage: async ({ partition, message }) => {
          const headers: Record<string, string> = {};
          for (const [name, value] of Object.entries(message.headers ?? {})) if (value !== undefined) headers[name] = String(value);
          messages.push({ partition, offset: message.offset, key: message.key?.toString() ?? null, value: message.value, headers });
          if (messages.length >= expected) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return messages;
}
