/**
 * Test entry: Kafka ingestion that SIGKILLs itself right after its Nth store append returns, i.e.
 * after the batch is durable and before its offset is committed: the worst moment to die.
 * CRASH_AFTER_APPENDS=N, plus the variables kafka-ingestion.main.ts reads.
 */
import { openEventStore } from '@provsync/event-store';
import { EventStoreSisChangeRecorder } from '../../../recording/event-store-sis-change-recorder.js';
import type { SisChangeRecorder } from '../../../recording/sis-input.js';
import { jsonLinesLogger } from '../ingestion-logger.js';
import { kafkaIngestionConfigFromEnv } from '../kafka-ingestion-config.js';
import { type KafkaTuning, startKafkaIngestion } from '../kafka-ingestion.js';

const config = kafkaIngestionConfigFromEnv()!;
const store = await openEventStore(process.env['PROVSYNC_STORE']!);
const real = new EventStoreSisChangeRecorder(store);
let appendsLeft = Number(process.env['CRASH_AFTER_APPENDS']);
const dyingRecorder: SisChangeRecorder = {
  async record(inputs) {
    const outcomes = await real.record(inputs);
    if (--appendsLeft <= 0) process.kill(process.pid, 'SIGKILL');
    return outcomes;
  },
};
await startKafkaIngestion({
  ...config,
  recorder: dyingRecorder,
  logger: jsonLinesLogger,
  tuning: JSON.parse(process.env['PROVSYNC_KAFKA_TUNING'] ?? '{}') as Partial<KafkaTuning>,
});
