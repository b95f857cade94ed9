import { type ReferenceDataLoss, referenceDataLoss, type SyncInput } from '@provsync/domain';
import { type EventStore, PostgresSyncLease, SqliteSyncLease, type SyncLease } from '@provsync/event-store';
import { type ClientTuning, SkolverketClient } from '@provsync/skolverket-client';
import type { SkolverketSettings } from '../config/config.js';
import type { ReadModelStorage } from '@provsync/read-models';
import { DesiredStateHost } from '../desired-state/desired-state-host.js';
import { PersistedDesiredState } from '../desired-state/persisted-desired-state.js';
import { ReferenceDataStore } from '../desired-state/reference-data-store.js';
import { HoldDecisions } from './hold-decisions.js';
import type { ProvisioningCalls } from './provisioning-calls.js';
import { catchUpSyncState, readSyncStateFromModels } from './read-sync-state.js';
import { SkolverketSync, type SyncOptions } from './skolverket-sync.js';

/** How often a running sync brings the persisted sync-state model up to date. */
const SYNC_STATE_FOLLOW_MS = 30_000;

export interface SyncRuntime {
  sync: SkolverketSync;
  host: DesiredStateHost | PersistedDesiredState;
  client: SkolverketClient;
  /**
   * A sync that may call Skolverket only until `lost` aborts, its history read afresh from the store (another
   * leader may have written to it since): call it each time this process takes the sync lease.
   */
  lead(lost: AbortSignal): Promise<SkolverketSync>;
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
  options: Omit<SyncOptions, 'desired'> & {
    wrapCalls?: (calls: ProvisioningCalls) => ProvisioningCalls;
    /** The persisted read models: the desired state starts from them (without: rebuilt in memory from the first event). Closed with the runtime. */
    readModels?: ReadModelStorage;
  } = {},
  tuning: ClientTuning = {},
): Promise<SyncRuntime> {
  const client = new SkolverketClient(settings, tuning);
  const references = new ReferenceDataStore(store);
  let referenceLoss: ReferenceDataLoss | undefined;
  let lossToTell: ReferenceDataLoss | undefined;
  let readBefore = false;
  // What a running sync learns from outside: operators' hold decisions, and a loss a later reading found.
  const outsideInputs = () => {
    const decisions = new HoldDecisions(store);
    return async (nowMs: number): Promise<SyncInput[]> => {
      const inputs: SyncInput[] = (await decisions.take(nowMs)).map((event) => ({ type: 'HoldDecided', event }));
      if (lossToTell) inputs.push({ type: 'ReferenceDataLost', lost: lossToTell });
      lossToTell = undefined;
      return inputs;
    };
  };
  const readReference = async () => {
    const reference = await client.loadReferenceData(settings.organisationNumber, new Date());
    // Against the reading stored last: a gap in the open data holds the deletes it causes (mass-change guard).
    const loss = referenceDataLoss(await references.latest(), reference);
    if (loss && readBefore) lossToTell = loss; // serve reads again every 6 h: the sync under way holds what follows
    readBefore = true;
    referenceLoss = loss ?? referenceLoss;
    await references.remember(reference);
    return reference;
  };
  const reference = await readReference();
  const host = options.readModels ? new PersistedDesiredState(store, options.readModels) : new DesiredStateHost(store, reference);
  // Token and connection while the projection is built (seconds of CPU at scale): not on the first call's path.
  // A failure here shows again, and is handled, on the first real call.
  void client.warmUp().catch(() => undefined);
  const { wrapCalls = (calls) => calls, readModels, ...syncOptions } = options;
  readSyncStateFromModels(store, readModels);
  // The persisted sync-state model follows the sync's records (its snapshot, its per-object rows) now and then.
  const follower = readModels && setInterval(() => void catchUpSyncState(store, readModels).catch(() => undefined), SYNC_STATE_FOLLOW_MS);
  const calls = wrapCalls(client);
  const sync = new SkolverketSync(store, calls, { ...syncOptions, referenceLoss, outsideInputs: outsideInputs(), desired: host });
  await sync.load();
  let leading: SkolverketSync | undefined;
  return {
    sync,
    host,
    client,
    lead: async (lost) => {
      await leading?.settle();
      leading = new SkolverketSync(store, calls, { ...syncOptions, referenceLoss, outsideInputs: outsideInputs(), desired: host, signal: lost });
      await leading.load();
      return leading;
    },
    // The persisted model takes the new reading from the store, as the next event it applies.
    refreshReference: async () => {
      const reference = await readReference();
      if (host instanceof DesiredStateHost) host.setReference(reference);
    },
    close: async () => {
      await sync.settle();
      await leading?.settle();
      clearInterval(follower);
      if (host instanceof PersistedDesiredState) await host.checkpoint();
      if (readModels) await catchUpSyncState(store, readModels);
      readSyncStateFromModels(store, undefined);
      await options.readModels?.close();
      await client.close();
    },
  };
}

/**
 * The lease that makes one process the sync leader for an organiser on this store: PostgreSQL's advisory lock
 * (several instances), the embedded store's single-process guard; none on KurrentDB, where exactly one process
 * may sync (the sync stream's expected revision still refuses a second writer's records, but not its calls).
 */
export function syncLeaseFor(storeUrl: string): SyncLease | SqliteSyncLease | undefined {
  if (storeUrl.startsWith('sqlite:')) return new SqliteSyncLease(storeUrl.slice('sqlite:'.length));
  if (storeUrl.startsWith('postgres://') || storeUrl.startsWith('postgresql://')) return new PostgresSyncLease(storeUrl);
  return undefined;
}

export interface LeadershipEvents {
  /** Still waiting for the lease a moment after asking: another process leads. */
  waiting(): void;
  leading(): void;
  lost(reason: string): void;
}

/** Skolverket counts calls over a sliding second: a new leader lets the last one's calls leave that window. */
const QUIET_AFTER_TAKEOVER_MS = 1000;
const SAY_WAITING_AFTER_MS = 1500;
/** An instance that just lost its lease is the likelier one to be in trouble: it lets a waiting peer take it first. */
const STAND_BACK_AFTER_LOSS_MS = 2500;

/**
 * Runs `work` only while this process holds the organiser's sync lease; when the lease is lost, `work`'s
 * signal aborts (its Skolverket calls are cut off), and the lease is asked for again. Returns when `work`
 * returns with the lease still held, or at shutdown. Without a lease (KurrentDB) `work` simply runs.
 */
export async function whileLeading(
  lease: SyncLease | undefined,
  organiser: string,
  shutdown: AbortSignal,
  work: (lost: AbortSignal) => Promise<void>,
  events: LeadershipEvents,
): Promise<void> {
  if (!lease) return work(new AbortController().signal);
  while (!shutdown.aborted) {
    const saying = setTimeout(() => events.waiting(), SAY_WAITING_AFTER_MS);
    let held;
    try {
      held = await lease.acquire(organiser, shutdown);
    } catch (error) {
      if (shutdown.aborted) return;
      throw error;
    } finally {
      clearTimeout(saying);
    }
    try {
      events.leading();
      await quiet(QUIET_AFTER_TAKEOVER_MS, held.lost);
      await work(held.lost);
      if (!held.lost.aborted) return;
    } catch (error) {
      if (!held.lost.aborted) throw error;
    } finally {
      const lost = held.lost.aborted ? String((held.lost.reason as Error)?.message ?? held.lost.reason) : undefined;
      await held.release();
      if (lost) events.lost(lost);
    }
    await quiet(STAND_BACK_AFTER_LOSS_MS, shutdown);
  }
}

function quiet(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}
