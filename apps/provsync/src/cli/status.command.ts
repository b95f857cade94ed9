import {
  deletesText,
  type DesiredItem,
  type DesiredStateProjection,
  openHolds,
  SIS_INPUT_REJECTED,
  SyncPlanner,
  type SkolverketAvailability,
  type SyncStatus,
  syncStatus,
} from '@provsync/domain';
import type { EventStore } from '@provsync/event-store';
import type { ReadModelStorage } from '@provsync/read-models';
import { DesiredStateHost } from '../desired-state/desired-state-host.js';
import { PersistedDesiredState } from '../desired-state/persisted-desired-state.js';
import { ReferenceDataStore } from '../desired-state/reference-data-store.js';
import { readSyncState } from '../sync/read-sync-state.js';
import { foldHoldDecisions, holdJson } from './run-holds.js';

export interface StatusReport {
  storedEvents: number;
  rejectedInputs: number;
  entities: SyncStatus;
  /** The sync's circuit breaker as last recorded: whether Skolverket takes calls. */
  skolverket: SkolverketAvailability;
  /** The mass-change guard's open holds: deletes waiting for `provsync holds approve|reject <id>`. */
  holds: Array<{ id: string; reason: string; kind: string; deletes: Partial<Record<string, number>>; placedAt: string }>;
}

/** A one-shot command leaves a tail shorter than this to the next process instead of taking a snapshot itself. */
const SNAPSHOT_FROM = 2_000;

/**
 * Everything `provsync status` shows, read from the store alone (works offline, beside a running serve). With the
 * read models' storage, from the persisted models (their snapshot and what was recorded since); without, rebuilt.
 */
export async function readStatus(
  store: EventStore,
  storage?: ReadModelStorage,
  { projection = false } = {},
): Promise<{ report: StatusReport; host?: { current: DesiredStateProjection }; planner: SyncPlanner; referenceKnown: boolean }> {
  const { state } = await readSyncState(store, storage);
  let desired: ReadonlyMap<string, DesiredItem> = new Map<string, DesiredItem>();
  let host: { current: DesiredStateProjection } | undefined;
  let referenceKnown = false;
  if (storage) {
    const persisted = new PersistedDesiredState(store, storage, undefined, SNAPSHOT_FROM);
    // Counting needs the desired objects' hashes only: the snapshot's first part, when it is current.
    const current = projection ? undefined : await persisted.desiredIfCurrent();
    if (current !== undefined) {
      desired = current ?? desired;
      referenceKnown = current !== null;
    } else {
      await persisted.catchUp();
      const projection = persisted.current;
      if (projection) {
        host = { current: projection };
        desired = persisted.liveDesired();
        referenceKnown = true;
      }
    }
  } else {
    const reference = await new ReferenceDataStore(store).latest();
    if (reference) {
      const rebuilt = new DesiredStateHost(store, reference);
      await rebuilt.catchUp();
      host = rebuilt;
      desired = new Map(rebuilt.liveDesired());
      referenceKnown = true;
    }
  }
  await foldHoldDecisions(store, state.holds);
  const planner = new SyncPlanner(desired, state);
  const report = {
    storedEvents: await store.count(),
    rejectedInputs: await store.count([SIS_INPUT_REJECTED]),
    entities: syncStatus(desired, state, planner),
    skolverket: state.availability,
    holds: openHolds(state.holds).map((hold) => {
      const { id, reason, deletes, kind, placedAt } = holdJson(hold);
      return { id, reason, deletes, kind, placedAt };
    }),
  };
  return { report, host, planner, referenceKnown };
}

export function statusText(report: StatusReport, referenceKnown: boolean): string {
  const lines = [`stored events: ${report.storedEvents}`, `rejected inputs: ${report.rejectedInputs}`];
  if (!referenceKnown) lines.push('desired state: unknown until the first `provsync sync` has read Skolverket\'s open data');
  const s = report.skolverket;
  lines.push(
    s.available
      ? 'skolverket: available (circuit breaker closed)'
      : `skolverket: UNAVAILABLE since ${s.since} (circuit breaker open; the sync probes again by itself): ${s.reason}`,
  );
  for (const hold of report.holds) {
    lines.push(`HOLD ${hold.id}: deletes ${deletesText(hold.deletes)} wait (${hold.reason}); provsync holds approve ${hold.id} | reject ${hold.id}`);
  }
  lines.push('', 'type       desired  acknowledged  pending  in flight  parked');
  for (const [type, t] of Object.entries(report.entities)) {
    lines.push(
      `${type.padEnd(9)} ${pad(t.desired, 8)} ${pad(t.acknowledged, 13)} ${pad(t.pending, 8)} ${pad(t.inFlight, 10)} ${pad(t.parked, 7)}`,
    );
  }
  return lines.join('\n');
}

const pad = (n: number, width: number) => String(n).padStart(width);
