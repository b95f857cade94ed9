import { openEventStore, type EventStore } from '@provsync/event-store';
import { openReadModelStorage, type ReadModelStorage } from '@provsync/read-models';
import type { ProvsyncConfig } from '../config/config.js';

export interface ReadModelContext {
  store: EventStore;
  storage: ReadModelStorage;
  close(): Promise<void>;
}

/**
 * The event store and its read models, for commands that only read (history, replay): no Nest context, no
 * command bus, so they start in milliseconds beside a running `serve`.
 */
export async function openReadModels(config: ProvsyncConfig): Promise<ReadModelContext> {
  const store = await openEventStore(config.store);
  try {
    const storage = await openReadModelStorage(config.store);
    return {
      store,
      storage,
      async close() {
        await storage.close();
        await store.close();
      },
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}
