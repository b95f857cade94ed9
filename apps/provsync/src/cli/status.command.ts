import {
  deletesText,
  type DesiredItem,
  openHolds,
  SIS_INPUT_REJECTED,
  SyncPlanner,
  type SkolverketAvailability,
  type SyncStatus,
  syncStatus,
} from '@provsync/domain';
import type { EventStore } from '@provsync/event-store';
import { DesiredStateHost } from '../desired-state/desired-state-host.js';
import { ReferenceDataStore } from '../desired-state/reference-data-store.js';
import { readSyncState } from '../sync/read-sync-state.js';
import { holdJson } from './run-holds.js';

export interface StatusReport {
  storedEvents: number;
  rejectedInputs: number;
  entities: SyncStatus;
  /** The sync's circuit breaker as last recorded: whether Skolverket takes calls. */
  skolverket: SkolverketAvailability;
  /** The mass-change guard's open holds: deletes waiting for `provsync holds approve|reject <id>`. */
  holds: Array<{ id: string; reason: string; kind: string; deletes: Partial<Record<string, number>>; placedAt: string }>;
}

/** Everything `provsync status` shows, read from the store alone (works offline, beside a running serve). */
export async function readStatus(store: EventStore): Promise<{ report: StatusReport; host?: DesiredStateHost; planner: SyncPlanner }> {
  const { state } = await readSyncState(store);
  const reference = await new ReferenceDataStore(store).latest();
  let desired = new Map<string, DesiredItem>();
  let host: DesiredStateHost | undefined;
  if (reference) {
    host = new DesiredStateHost(store, reference);
    await host.catchUp();
    desired = new Map(host.liveDesired());
  }
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
  return { report, host, planner };
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
