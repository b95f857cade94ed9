import { type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore } from '@provsync/event-store';
import { loadConfig, type ProvsyncConfig } from '../config/config.js';
import { ProvsyncModule, type ProvsyncModuleOptions } from '../provsync.module.js';
import { recordThroughCommandBus } from '../recording/record-sis-changes.command.js';
import type { RecordOutcome, SisInput } from '../recording/sis-input.js';

export interface CoreContext {
  store: EventStore;
  record(inputs: readonly SisInput[]): Promise<RecordOutcome[]>;
  close(): Promise<void>;
}

/**
 * The Nest application context of a one-shot command: the store and the command bus. `config` is the one
 * main.ts read at start-up; without it the environment is read here (the demo points it at its simulator).
 */
export async function openCoreContext(config: ProvsyncConfig = loadConfig(), options: ProvsyncModuleOptions = {}): Promise<CoreContext> {
  const module = ProvsyncModule.forRoot(config, options);
  const app: INestApplicationContext = await NestFactory.createApplicationContext(module, { logger: ['error', 'warn'] });
  const store = app.get<EventStore>(EVENT_STORE);
  const { record } = recordThroughCommandBus(app.get(CommandBus));
  return {
    store,
    record,
    async close() {
      await app.close();
      await store.close();
    },
  };
}
