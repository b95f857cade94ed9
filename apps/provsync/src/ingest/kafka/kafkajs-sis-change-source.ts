import kafkajs, { type Consumer, type EachBatchPayload, type KafkaMessage, type LogEntry, type Producer } from 'kafkajs';
import { deadLetterRecord } from './dead-letters.js';
import type { IngestionLogger, LogFields } from './ingestion-logger.js';
import type { DeadLetter, SisChangeSource, SourceBatch, SourceMessage } from './sis-change-source.port.js';

const { Kafka, logLevel } = kafkajs;

export interface KafkajsSourceOptions {
  brokers: string[];
  clientId: string;
  groupId: string;
  topic: string;
  dlqTopic: string;
  logger: IngestionLogger;
  /** The group drops a member it has not heard from for this long (kafkajs default 30 s). */
  sessionTimeoutMs: number;
  heartbeatIntervalMs: number;
  /** Partitions handled at once by this instance; each still one batch at a time. */
  partitionsConsumedConcurrently: number;
  maxBytesPerPartition: number;
  /** A dead letter's value beyond this is left out (the broker would refuse it with the extra headers). */
  maxDeadLetterValueBytes: number;
}

/** The one kafkajs-specific piece: consumer group, manual commits, dead-letter producer. */
export class KafkajsSisChangeSource implements SisChangeSource {
  private readonly consumer: Consumer;
  private readonly producer: Producer;

  constructor(private readonly options: KafkajsSourceOptions) {
    const kafka = new Kafka({
      clientId: options.clientId,
      brokers: options.brokers,
      logLevel: logLevel.WARN,
      logCreator: () => (entry) => logKafkajsEntry(options.logger, entry),
    });
    this.consumer = kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: options.sessionTimeoutMs,
      heartbeatInterval: options.heartbeatIntervalMs,
      maxBytesPerPartition: options.maxBytesPerPartition,
      // kafkajs heartbeats between fetches only: an idle fetch must return well within the session timeout.
      maxWaitTimeInMs: Math.min(5000, Math.floor(options.sessionTimeoutMs / 3)),
      // No auto-created topics from a consumer: a typo in KAFKA_TOPIC must not look like an idle topic.
      allowAutoTopicCreation: false,
    });
    this.producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: true });
    this.consumer.on(this.consumer.events.GROUP_JOIN, ({ payload }) => {
      const partitions = payload.memberAssignment[options.topic] ?? [];
      options.logger.info('joined the consumer group', { groupId: options.groupId, partitions: partitions.join(',') });
    });
  }

  async start(handle: (batch: SourceBatch) => Promise<void>): Promise<void> {
    await this.producer.connect();
    await this.consumer.connect();
    // A new group starts at the beginning: SIS changes produced before provsync first ran still count.
    await this.consumer.subscribe({ topics: [this.options.topic], fromBeginning: true });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently,
      eachBatch: (payload) => handle(this.toSourceBatch(payload)),
    });
  }

  pause(): void {
    this.consumer.pause([{ topic: this.options.topic }]);
  }

  resume(): void {
    this.consumer.resume([{ topic: this.options.topic }]);
  }

  async publishDeadLetters(letters: readonly DeadLetter[]): Promise<void> {
    const rejectedAt = new Date().toISOString();
    const messages = letters.map((letter) => deadLetterRecord(letter, rejectedAt, this.options.maxDeadLetterValueBytes));
    await this.producer.send({ topic: this.options.dlqTopic, acks: -1, messages });
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
    await this.producer.disconnect();
  }

  private toSourceBatch(payload: EachBatchPayload): SourceBatch {
    const { batch } = payload;
    const { topic, partition } = batch;
    let rebalancing = false;
    return {
      topic,
      partition,
      messages: batch.messages.map((message) => toSourceMessage(topic, partition, message)),
      heartbeat: async () => {
        try {
          await payload.heartbeat();
        } catch (error) {
          if (isRebalancing(error)) rebalancing = true;
          throw error;
        }
      },
      isActive: () => payload.isRunning() && !payload.isStale() && !rebalancing,
      // lastOffset() also covers trailing control records (transaction markers).
      release: () => payload.resolveOffset(batch.lastOffset()),
      rewind: (offset) => {
        try {
          this.consumer.seek({ topic, partition, offset });
        } catch (error) {
          this.options.logger.warn('could not rewind the partition; it is read again from its committed offset after the next rebalance', {
            topic, partition, offset, error: error instanceof Error ? error.name : typeof error,
          });
        }
      },
      commit: async () => {
        // The committed offset is the next one to read.
        const next = (BigInt(batch.lastOffset()) + 1n).toString();
        await payload.commitOffsetsIfNecessary({ topics: [{ topic, partitions: [{ partition, offset: next }] }] });
      },
    };
  }
}

function toSourceMessage(topic: string, partition: number, message: KafkaMessage): SourceMessage {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (value === undefined) continue;
    headers[name] = Array.isArray(value) ? value.map(String).join(',') : String(value);
  }
  const source: SourceMessage = { topic, partition, offset: message.offset, headers, value: message.value };
  if (message.key !== null) source.key = message.key.toString('utf8');
  return source;
}

function isRebalancing(error: unknown): boolean {
  const type = (error as { type?: unknown } | null)?.type;
  return type === 'REBALANCE_IN_PROGRESS' || type === 'NOT_COORDINATOR_FOR_GROUP' || type === 'ILLEGAL_GENERATION';
}

/** kafkajs's own log lines, reduced to fields that cannot carry message content. */
function logKafkajsEntry(logger: IngestionLogger, { level, log }: LogEntry): void {
  const fields: LogFields = { source: 'kafkajs', broker: str(log['broker']), groupId: str(log['groupId']), error: str(log['error']) };
  if (level <= logLevel.ERROR) logger.error(log.message, fields);
  else if (level === logLevel.WARN) logger.warn(log.message, fields);
  else logger.info(log.message, fields);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
