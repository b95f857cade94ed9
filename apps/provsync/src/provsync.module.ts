import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore, openEventStore } from '@provsync/event-store';
import { storeUrl } from './config/config.js';
import { EventStoreSisChangeRecorder } from './recording/event-store-sis-change-recorder.js';
import { RecordSisChangesHandler, SIS_CHANGE_RECORDER } from './recording/record-sis-changes.handler.js';

const commandHandlers = [RecordSisChangesHandler];

/** The core every command needs: the event store and the command handlers that record SIS changes. */
@Module({
  imports: [CqrsModule.forRoot()],
  providers: [
    { provide: EVENT_STORE, useFactory: () => openEventStore(storeUrl()) },
    { provide: SIS_CHANGE_RECORDER, inject: [EVENT_STORE], useFactory: (store: EventStore) => new EventStoreSisChangeRecorder(store) },
    ...commandHandlers,
  ],
  exports: [EVENT_STORE, SIS_CHANGE_RECORDER, CqrsModule],
})
export class ProvsyncModule {}
