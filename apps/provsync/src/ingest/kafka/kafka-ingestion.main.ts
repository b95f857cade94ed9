/**
 * Kafka ingestion as a process of its own, for the crash and rebalance tests (and for running
 * ingestion without the rest of provsync). Reads the same configuration as provsync (config.ts):
 * KAFKA_*, PROVSYNC_KAFKA_TUNING and PROVSYNC_STORE. SIGTERM/SIGINT: finish the batch in hand,
 * commit, print the stats as one JSON line on stdout, exit 0. A bad setting: one line, exit 78.
 */
import { openCoreContext } from '../../cli/context.js';
import { ConfigError, loadConfig } from '../../config/config.js';
import { jsonLinesLogger } from './ingestion-logger.js';
import { startKafkaIngestion } from './kafka-ingestion.js';

let stopRequested: () => void = () => process.exit(0);
// Registered first: a SIGTERM while still joining the group must not kill the process mid-start.
process.once('SIGTERM', () => stopRequested());
process.once('SIGINT', () => stopRequested());

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  if (!config.kafka) throw new ConfigError('KAFKA_BROKERS is not set: name the brokers, e.g. KAFKA_BROKERS=127.0.0.1:19092');
  // As serve does: batches go through the command bus to the recorder thread. The context opens the store
  // here too, so a bad PROVSYNC_STORE fails the start rather than the first batch.
  const context = await openCoreContext(config, { recorderThread: true });
  const ingestion = await startKafkaIngestion({ ...config.kafka, recorder: context, logger: jsonLinesLogger });
  stopRequested = () =>
    void (async () => {
      await ingestion.stop();
      await context.close();
      process.stdout.write(`${JSON.stringify({ stats: ingestion.stats() })}\n`);
      process.exit(0);
    })();
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    jsonLinesLogger.error(error.message, { code: error.code });
    process.exit(78); // EX_CONFIG, as provsync
  }
  const code = (error as { code?: unknown }).code;
  jsonLinesLogger.error('Kafka ingestion failed to start', {
    error: error instanceof Error ? error.name : typeof error,
    code: typeof code === 'string' ? code : undefined,
  });
  process.exit(1);
});
