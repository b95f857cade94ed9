/**
 * Kafka ingestion as a process of its own, for the crash and rebalance tests (and for running
 * ingestion without the rest of provsync). Reads KAFKA_* (see kafka-ingestion-config.ts) and
 * PROVSYNC_STORE (default sqlite:data/provsync.sqlite). SIGTERM/SIGINT: finish the batch in hand,
 * commit, print the stats as one JSON line on stdout, exit 0.
 */
import { openEventStore } from '@provsync/event-store';
import { SisChangeRecorderThread } from '../../recording/sis-change-recorder-thread.js';
import { jsonLinesLogger } from './ingestion-logger.js';
import { KafkaConfigError, kafkaIngestionConfigFromEnv } from './kafka-ingestion-config.js';
import { type KafkaTuning, startKafkaIngestion } from './kafka-ingestion.js';

let stopRequested: () => void = () => process.exit(0);
// Registered first: a SIGTERM while still joining the group must not kill the process mid-start.
process.once('SIGTERM', () => stopRequested());
process.once('SIGINT', () => stopRequested());

async function main(): Promise<void> {
  const config = kafkaIngestionConfigFromEnv();
  if (!config) throw new KafkaConfigError('KAFKA_BROKERS is not set: name the brokers, e.g. KAFKA_BROKERS=127.0.0.1:19092');
  const storeUrl = process.env['PROVSYNC_STORE'] ?? 'sqlite:data/provsync.sqlite';
  // Opened here too, so a bad PROVSYNC_STORE fails the start rather than the first batch.
  const store = await openEventStore(storeUrl);
  const recorder = new SisChangeRecorderThread(storeUrl);
  const tuning = JSON.parse(process.env['PROVSYNC_KAFKA_TUNING'] ?? '{}') as Partial<KafkaTuning>;
  const ingestion = await startKafkaIngestion({
    ...config,
    clientId: process.env['KAFKA_CLIENT_ID'] ?? 'provsync',
    recorder,
    logger: jsonLinesLogger,
    tuning,
  });
  stopRequested = () =>
    void (async () => {
      await ingestion.stop();
      await recorder.close();
      await store.close();
      process.stdout.write(`${JSON.stringify({ stats: ingestion.stats() })}\n`);
      process.exit(0);
    })();
}

main().catch((error: unknown) => {
  const code = (error as { code?: unknown }).code;
  jsonLinesLogger.error(error instanceof KafkaConfigError ? error.message : 'Kafka ingestion failed to start', {
    error: error instanceof Error ? error.name : typeof error,
    code: typeof code === 'string' ? code : undefined,
  });
  process.exit(1);
});
