import type { SisChangeRecorder } from '../../recording/sis-input.js';
import { jsonLinesLogger, type IngestionLogger } from './ingestion-logger.js';
import { KAFKA_DEFAULTS, type KafkaSettings } from '../../config/kafka-config.js';
import { KafkajsSisChangeSource, type KafkajsSourceOptions } from './kafkajs-sis-change-source.js';
import { DEFAULT_INGESTION_TUNING, type IngestionStats, type IngestionTuning, SisChangeIngestion } from './sis-change-ingestion.js';

export interface KafkaIngestionOptions extends Partial<Omit<KafkaSettings, 'tuning'>> {
  brokers: string[];
  recorder: SisChangeRecorder;
  logger?: IngestionLogger;
  /** Consumer and loop settings; the defaults suit production, tests shorten the timeouts. */
  tuning?: Partial<KafkaTuning>;
}

export type KafkaTuning = IngestionTuning &
  Pick<KafkajsSourceOptions, 'sessionTimeoutMs' | 'heartbeatIntervalMs' | 'partitionsConsumedConcurrently' | 'maxBytesPerPartition' | 'maxDeadLetterValueBytes'>;

export const DEFAULT_KAFKA_TUNING: KafkaTuning = {
  ...DEFAULT_INGESTION_TUNING,
  sessionTimeoutMs: 30_000,
  heartbeatIntervalMs: 3_000,
  partitionsConsumedConcurrently: 2,
  maxBytesPerPartition: 1024 * 1024,
  maxDeadLetterValueBytes: 900 * 1024,
};

export interface KafkaIngestion {
  /** Finishes the batches in hand, commits them, leaves the group. Call it on SIGTERM. */
  stop(): Promise<void>;
  stats(): IngestionStats;
}

/**
 * Consumes SIS change events from Kafka into the recorder until stopped. Resolves once this
 * instance has joined the consumer group.
 */
export async function startKafkaIngestion(options: KafkaIngestionOptions): Promise<KafkaIngestion> {
  const tuning: KafkaTuning = { ...DEFAULT_KAFKA_TUNING, ...options.tuning };
  const logger = options.logger ?? jsonLinesLogger;
  const source = new KafkajsSisChangeSource({
    ...tuning,
    brokers: options.brokers,
    clientId: options.clientId ?? KAFKA_DEFAULTS.clientId,
    groupId: options.groupId ?? KAFKA_DEFAULTS.groupId,
    topic: options.topic ?? KAFKA_DEFAULTS.topic,
    dlqTopic: options.dlqTopic ?? KAFKA_DEFAULTS.dlqTopic,
    logger,
  });
  const ingestion = new SisChangeIngestion(source, options.recorder, logger, tuning);
  await source.start(ingestion.handleBatch);
  let stopping: Promise<void> | undefined;
  const stop = async () => {
    // Commits go through while the consumer still runs: finish the batches under way, then leave the group.
    source.pause();
    await ingestion.drain();
    await source.stop();
  };
  return {
    stop: () => (stopping ??= stop()),
    stats: () => ingestion.stats(),
  };
}
