import type { EventStore } from '@provsync/event-store';
import { type ClientTuning, SkolverketClient } from '@provsync/skolverket-client';
import type { SkolverketSettings } from '../config/config.js';
import { DesiredStateHost } from '../desired-state/desired-state-host.js';
import { ReferenceDataStore } from '../desired-state/reference-data-store.js';
import type { ProvisioningCalls } from './provisioning-calls.js';
import { SkolverketSync, type SyncOptions } from './skolverket-sync.js';

export interface SyncRuntime {
  sync: SkolverketSync;
  host: DesiredStateHost;
  client: SkolverketClient;
  refreshReference(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Wires the sync for one organiser: reads the open-data reference (kept in the store when it changes),
 * builds the desired state from the store and loads the sync's own history.
 */
export async function openSyncRuntime(
  store: EventStore,
  settings: SkolverketSettings,
  options: Omit<SyncOptions, 'desired'> & { wrapCalls?: (calls: ProvisioningCalls) => ProvisioningCalls } = {},
  tuning: ClientTuning = {},
): Promise<SyncRuntime> {
  const client = new SkolverketClient(settings, tuning);
  const references = new ReferenceDataStore(store);
  const readReference = async () => {
    const reference = await client.loadReferenceData(settings.organisationNumber, new Date());
    await references.remember(reference);
    return reference;
  };
  const host = new DesiredStateHost(store, await readReference());
  // Token and connection while the projection is built (seconds of CPU at scale): not on the first call's path.
  // A failure here shows again, and is handled, on the first real call.
  void client.warmUp().catch(() => undefined);
  const { wrapCalls = (calls) => calls, ...syncOptions } = options;
  const sync = new SkolverketSync(store, wrapCalls(client), { ...syncOptions, desired: host });
  await sync.load();
  return {
    sync,
    host,
    client,
    refreshReference: async () => host.setReference(await readReference()),
    close: async () => {
      await sync.settle();
      await client.close();
    },
  };
}
