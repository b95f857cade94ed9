import { Logger, Module, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EVENT_STORE, type EventStore } from '@provsync/event-store';
import { httpListener, skolverketSettings } from '../config/config.js';
import { startKafkaIngestion } from '../ingest/kafka/kafka-ingestion.js';
import { kafkaIngestionConfigFromEnv } from '../ingest/kafka/kafka-ingestion-config.js';
import { ProvsyncModule } from '../provsync.module.js';
import { SIS_CHANGE_RECORDER } from '../recording/record-sis-changes.handler.js';
import type { SisChangeRecorder } from '../recording/sis-input.js';
import { openSyncRuntime } from '../sync/sync-runtime.js';
import { HealthController } from './health.controller.js';
import { RejectedInputsController } from './rejected-inputs.controller.js';
import { SisEventsController } from './sis-events.controller.js';
import { SyncLoop } from './sync-loop.service.js';

/** `provsync serve`: HTTP ingestion and health, Kafka ingestion when configured, and the sync loop. */
export async function runServe(_args: string[]): Promise<number> {
  const settings = skolverketSettings();
  const { port, host } = httpListener();
  const kafka = kafkaIngestionConfigFromEnv();
  const intervalMs = Number(process.env.PROVSYNC_SYNC_INTERVAL_MS ?? 1000);

  @Module({
    imports: [ProvsyncModule],
    controllers: [SisEventsController, HealthController, RejectedInputsController],
    providers: [
      {
        provide: SyncLoop,
        inject: [EVENT_STORE],
        useFactory: async (store: EventStore) => new SyncLoop(await openSyncRuntime(store, settings), intervalMs),
      },
    ],
  })
  class ServeModule {}

  const app = await NestFactory.create(ServeModule, { bodyParser: false, logger: ['log', 'error', 'warn'] });
  app.useGlobalPipes(new ValidationPipe({ transform: true, forbidNonWhitelisted: true, whitelist: true }));
  await app.listen(port, host);
  const logger = new Logger('provsync');
  const syncLoop = app.get(SyncLoop);
  const store = app.get<EventStore>(EVENT_STORE);
  const ingestion = kafka ? await startKafkaIngestion({ ...kafka, recorder: app.get<SisChangeRecorder>(SIS_CHANGE_RECORDER) }) : undefined;
  syncLoop.start();
  logger.log(`listening on http://${host}:${port}${kafka ? `; consuming ${kafka.topic} from ${kafka.brokers.join(',')}` : ''}`);

  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  logger.log('stopping: finishing the current batch and sync round');
  await ingestion?.stop();
  await syncLoop.stop();
  await app.close();
  await store.close();
  return 0;
}
