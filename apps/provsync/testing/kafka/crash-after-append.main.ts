/**
 * Test entry: Kafka ingestion that SIGKILLs itself right after its Nth store append returns, i.e.
 * after the batch is durable and before its offset is committed: the worst moment to die.
 * CRASH_AFTER_APPENDS=N, plus the variables kafka-ingestion.main.ts reads.
 */
import { openEventStore } from '@provsync/event-store';
import { loadConfig } from '../../src/config/config.js';
import { EventStoreSisChangeRecorder } from '../../src/recording/event-store-sis-change-recorder.js';
import type { SisChangeRecorder } from '../../src/recording/sis-input.js';
import { jsonLinesLogger } from '../../src/ingest/kafka/ingestion-logger.js';
import { startKafkaIngestion } from '../../src/ingest/kafka/kafka-ingestion.js';

const config = loadConfig(process.env);
const store = await openEventStore(config.store);
const real = new EventStoreSisChangeRecorder(store);
let appendsLeft = Number(process.env['CRASH_AFTER_APPENDS']);
const dyingRecorder: SisChangeRecorder = {
  async record(inputs) {
    const outcomes = await real.record(inputs);
    if (--appendsLeft <= 0) process.kill(process.pid, 'SIGKILL');
    return outcomes;
  },
};
await startKafkaIngestion({ ...config.kafka!, recorder: dyingRecorder, logger: jsonLinesLogger });
