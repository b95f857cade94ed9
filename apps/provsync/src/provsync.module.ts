import { type DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore, openEventStore } from '@provsync/event-store';
import type { ProvsyncConfig } from './config/config.js';
import { metrics } from './observability/metrics.js';
import { timingAppends } from './observability/store-append-timing.js';
import { EventStoreSisChangeRecorder } from './recording/event-store-sis-change-recorder.js';
import { RecordSisChangesHandler, SIS_CHANGE_RECORDER, SIS_CHANGE_RECORDER_THREAD } from './recording/record-sis-changes.handler.js';
import { SisChangeRecorderThread } from './recording/sis-change-recorder-thread.js';

/** The configuration read once at start-up (config.ts), for providers that need a setting. */
export const PROVSYNC_CONFIG = Symbol('ProvsyncConfig');

const commandHandlers = [RecordSisChangesHandler];

export interface ProvsyncModuleOptions {
  /** Start the recorder thread, which records Kafka's batches (serve and the ingestion process, with Kafka on). */
  recorderThread?: boolean;
  /** Time every store append, this thread's and the recorder thread's, into the metrics (serve). */
  timeAppends?: boolean;
}

/** The core every command needs: the configuration, the event store and the command handlers that record SIS changes. */
@Module({})
export class ProvsyncModule {
  static forRoot(config: ProvsyncConfig, options: ProvsyncModuleOptions = {}): DynamicModule {
    const { timeAppends } = options;
    const recorderAppended = timeAppends ? (seconds: number, ok: boolean) => metrics.storeAppended('recorder', seconds, ok) : undefined;
    const thread = options.recorderThread
      ? [{ provide: SIS_CHANGE_RECORDER_THREAD, useFactory: () => new SisChangeRecorderThread(config.store, recorderAppended) }]
      : [];
    const openStore = async () => {
      const store = await openEventStore(config.store);
      return timeAppends ? timingAppends(store, (seconds, ok) => metrics.storeAppended('main', seconds, ok)) : store;
    };
    return {
      module: ProvsyncModule,
      imports: [CqrsModule.forRoot()],
      providers: [
        { provide: PROVSYNC_CONFIG, useValue: config },
        { provide: EVENT_STORE, useFactory: openStore },
        { provide: SIS_CHANGE_RECORDER, inject: [EVENT_STORE], useFactory: (store: EventStore) => new EventStoreSisChangeRecorder(store) },
        ...thread,
        ...commandHandlers,
      ],
      exports: [PROVSYNC_CONFIG, EVENT_STORE, SIS_CHANGE_RECORDER, CqrsModule],
    };
  }
}
