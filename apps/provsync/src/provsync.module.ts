import { type DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore, openEventStore } from '@provsync/event-store';
import type { ProvsyncConfig } from './config/config.js';
import { EventStoreSisChangeRecorder } from './recording/event-store-sis-change-recorder.js';
import { RecordSisChangesHandler, SIS_CHANGE_RECORDER } from './recording/record-sis-changes.handler.js';

/** The configuration read once at start-up (config.ts), for providers that need a setting. */
export const PROVSYNC_CONFIG = Symbol('ProvsyncConfig');

const commandHandlers = [RecordSisChangesHandler];

/** The core every command needs: the configuration, the event store and the command handlers that record SIS changes. */
@Module({})
export class ProvsyncModule {
  static forRoot(config: ProvsyncConfig): DynamicModule {
    return {
      module: ProvsyncModule,
      imports: [CqrsModule.forRoot()],
      providers: [
        { provide: PROVSYNC_CONFIG, useValue: config },
        { provide: EVENT_STORE, useFactory: () => openEventStore(config.store) },
        { provide: SIS_CHANGE_RECORDER, inject: [EVENT_STORE], useFactory: (store: EventStore) => new EventStoreSisChangeRecorder(store) },
        ...commandHandlers,
      ],
      exports: [PROVSYNC_CONFIG, EVENT_STORE, SIS_CHANGE_RECORDER, CqrsModule],
    };
  }
}
