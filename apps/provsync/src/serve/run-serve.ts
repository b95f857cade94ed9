import { Logger, Module, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore } from '@provsync/event-store';
import { openReadModelStorage } from '@provsync/read-models';
import { AuditIndexFollower } from '../audit/audit-index-follower.js';
import { type ProvsyncConfig, requireSkolverket } from '../config/config.js';
import { startKafkaIngestion } from '../ingest/kafka/kafka-ingestion.js';
import { createLogger, ingestionLoggerOf, metrics, MetricsController, observeServe, PinoNestLogger, requestLogging } from '../observability/index.js';
import { ProvsyncModule } from '../provsync.module.js';
import { recordThroughCommandBus } from '../recording/record-sis-changes.command.js';
import { openSyncRuntime, syncLeaseFor } from '../sync/sync-runtime.js';
import { HealthController } from './health.controller.js';
import { RejectedInputsController } from './rejected-inputs.controller.js';
import { SisEventsController } from './sis-events.controller.js';
import { SyncLoop } from './sync-loop.service.js';

/** `provsync serve`: HTTP ingestion and health, Kafka ingestion when configured, and the sync loop. */
export async function runServe(_args: string[], config: ProvsyncConfig): Promise<number> {
  const settings = requireSkolverket(config);
  const { http: { port, host }, kafka } = config;

  @Module({
    imports: [ProvsyncModule.forRoot(config, { recorderThread: kafka !== undefined, timeAppends: true })],
    controllers: [SisEventsController, HealthController, RejectedInputsController, MetricsController],
    providers: [
      {
        provide: SyncLoop,
        inject: [EVENT_STORE],
        useFactory: async (store: EventStore) => {
          // Several instances may serve one store: each ingests, and only the holder of the lease syncs.
          const lease = syncLeaseFor(config.store);
          if (!lease) new Logger('provsync').warn('this store has no sync lease: run exactly one provsync serve or sync for the organiser on it');
          const leader = lease && { lease, organiser: settings.organisationNumber };
          return new SyncLoop(await openSyncRuntime(store, settings, { deleteThreshold: config.deleteThreshold, onProgress: (event) => metrics.syncEventRecorded(event), readModels: await openReadModelStorage(config.store) }), config.sync.intervalMs, leader, config.sync.reconcileIntervalMs);
        },
      },
    ],
  })
  class ServeModule {}

  // One JSON line per event on stdout, Nest's own lines included (LOG_FORMAT=pretty for a terminal).
  const log = createLogger(config.log);
  const observation = observeServe(kafka);
  const app = await NestFactory.create(ServeModule, { bodyParser: false, logger: new PinoNestLogger(log) });
  app.use(requestLogging(log));
  app.useGlobalPipes(new ValidationPipe({ transform: true, forbidNonWhitelisted: true, whitelist: true }));
  await app.listen(port, host);
  const logger = new Logger('provsync');
  const syncLoop = app.get(SyncLoop);
  const store = app.get<EventStore>(EVENT_STORE);
  // Through the command bus like HTTP and files; its handler records Kafka's batches on the recorder thread.
  const ingestion = kafka ? await startKafkaIngestion({ ...kafka, recorder: recordThroughCommandBus(app.get(CommandBus)), logger: ingestionLoggerOf(log) }) : undefined;
  syncLoop.start();
  observation.watchSync(() => syncLoop.syncView());
  // The audit index follows the store, so `history` beside a busy serve has only the last moments to apply.
  const auditStorage = await openReadModelStorage(config.store);
  const auditFollower = new AuditIndexFollower(store, auditStorage, logger);
  auditFollower.start();
  logger.log(`listening on http://${host}:${port}${kafka ? `; consuming ${kafka.topic} from ${kafka.brokers.join(',')}` : ''}`);

  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  logger.log('stopping: finishing the current batch and sync round');
  await ingestion?.stop();
  await syncLoop.stop();
  await observation.stop();
  await auditFollower.stop();
  await auditStorage.close();
  await app.close();
  await store.close();
  return 0;
}
