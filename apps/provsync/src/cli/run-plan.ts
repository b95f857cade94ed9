import {
  AcknowledgedBodies, changedFields, deleteReason, driftFound, deletesText, holdReasonText, type PlanReason, planReasonText,
  previewSync, type ReferenceData, referenceDataLoss, refKey, SYNC_STREAM, type SyncEvent, type SyncPreview,
} from '@provsync/domain';
import type { EventStore } from '@provsync/event-store';
import { OBJECT_TYPES } from '@provsync/skolverket-api';
import { SkolverketClient } from '@provsync/skolverket-client';
import type { ProvsyncConfig } from '../config/config.js';
import { DesiredStateHost } from '../desired-state/desired-state-host.js';
import { ReferenceDataStore } from '../desired-state/reference-data-store.js';
import { readSyncState } from '../sync/read-sync-state.js';
import { openCoreContext } from './context.js';

const USAGE = 'usage: provsync plan [--json] [--list]';
const PAGE = 200;

/**
 * `provsync plan`: what the next sync would send, worked out by the sync's own decider with Skolverket taking
 * everything (previewSync), and why. Reads the open data as the sync would (when Skolverket can be reached) but
 * records nothing and writes nothing, here or at Skolverket.
 */
export async function runPlan(args: string[], config: ProvsyncConfig): Promise<number> {
  if (args.some((a) => a !== '--json' && a !== '--list')) {
    console.error(USAGE);
    return 2;
  }
  const json = args.includes('--json');
  const detailed = json || args.includes('--list');
  const context = await openCoreContext(config);
  try {
    const stored = await new ReferenceDataStore(context.store).latest();
    const reference = 'missing' in config.skolverket ? stored : await readOpenData(config.skolverket);
    if (!reference) {
      console.error('provsync plan: no open data yet: set the Skolverket connection (PROVSYNC_CLIENT_CERT, …) or run `provsync sync` once');
      return 1;
    }
    const host = new DesiredStateHost(context.store, reference);
    await host.catchUp();
    const desired = host.liveDesired();
    const bodies = detailed ? await acknowledgedBodies(context.store) : undefined;
    const { state } = await readSyncState(context.store);
    const drift = driftFound(state, desired);
    const preview = previewSync(state, desired, new Date(), {
      deleteThreshold: config.deleteThreshold,
      referenceLoss: referenceDataLoss(stored, reference),
    });
    const reasonOf = (send: { type: string; id: string; operation: string; resend?: boolean }): PlanReason => {
      if (send.resend) return { kind: 'resend' };
      const key = refKey(send as { type: 'person'; id: string });
      const found = drift.get(key);
      if (found) return { kind: 'drift', found };
      if (send.operation === 'create') return { kind: 'new-in-sis' };
      if (send.operation === 'update') {
        const before = bodies?.bodies.get(key);
        return before === undefined ? { kind: 'changed' } : { kind: 'changed', fields: changedFields(before, desired.get(key)?.body) };
      }
      return deleteReason(host.current.explain(send.id));
    };
    const report = planReport(preview, detailed ? reasonOf : undefined);
    console.log(json ? JSON.stringify(report) : planText(report, args.includes('--list')));
    return 0;
  } finally {
    await context.close();
  }
}

async function readOpenData(settings: Exclude<ProvsyncConfig['skolverket'], { missing: string }>): Promise<ReferenceData> {
  const client = new SkolverketClient(settings);
  try {
    return await client.loadReferenceData(settings.organisationNumber, new Date());
  } finally {
    await client.close();
  }
}

async function acknowledgedBodies(store: EventStore): Promise<AcknowledgedBodies> {
  const bodies = new AcknowledgedBodies();
  const types = ['BatchSubmissionStarted', 'BatchRefused', 'JobResultsRecorded'];
  for (let after = 0n; ; ) {
    const page = await store.readAll({ after, limit: PAGE, types });
    for (const e of page) if (e.stream === SYNC_STREAM) bodies.apply({ type: e.type, data: e.data } as SyncEvent);
    if (page.length < PAGE) return bodies;
    after = page[page.length - 1]!.position;
  }
}

type Counts = Record<string, { create: number; update: number; delete: number; held: number }>;

export interface PlanReport {
  counts: Counts;
  /** With --json or --list: each object the sync would send, in its order, and why. */
  objects?: Array<{ type: string; id: string; operation: string; reason: PlanReason }>;
  held?: Array<{ type: string; id: string; holdId: string | null; reason: PlanReason }>;
  holds: Array<{ id: string; reason: string; deletes: Record<string, number>; status: 'open' | 'would be placed' }>;
}

export function planReport(preview: SyncPreview, reasonOf?: (send: { type: string; id: string; operation: string; resend?: boolean }) => PlanReason): PlanReport {
  const counts: Counts = Object.fromEntries(OBJECT_TYPES.map((type) => [type, { create: 0, update: 0, delete: 0, held: 0 }]));
  for (const send of preview.sends) counts[send.type]![send.operation]++;
  for (const held of preview.held) counts[held.type]!.held++;
  return {
    counts,
    ...(reasonOf
      ? {
          objects: preview.sends.map((send) => ({ type: send.type, id: send.id, operation: send.operation, reason: reasonOf(send) })),
          held: preview.held.map((h) => ({ type: h.type, id: h.id, holdId: h.holdId ?? null, reason: reasonOf({ ...h, operation: 'delete' }) })),
        }
      : {}),
    holds: preview.holds.map((hold) => ({
      id: hold.holdId,
      reason: holdReasonText(hold.reason),
      deletes: hold.deletes as Record<string, number>,
      status: hold.placed ? 'open' : 'would be placed',
    })),
  };
}

export function planText(report: PlanReport, list: boolean): string {
  const lines = ['the next sync would send (nothing is sent by plan):', 'type        create  update  delete  held'];
  for (const [type, c] of Object.entries(report.counts)) {
    lines.push(`${type.padEnd(9)} ${pad(c.create, 8)} ${pad(c.update, 7)} ${pad(c.delete, 7)} ${pad(c.held, 5)}`);
  }
  for (const hold of report.holds) {
    const state = hold.status === 'open' ? 'holds' : 'would hold';
    lines.push(`${hold.id} ${state} deletes ${deletesText(hold.deletes)}: ${hold.reason}; provsync holds approve|reject ${hold.id}`);
  }
  if (list) {
    for (const o of report.objects ?? []) lines.push(`${o.operation} ${o.type} ${o.id}: ${planReasonText(o.reason)}`);
    for (const h of report.held ?? []) lines.push(`held delete ${h.type} ${h.id}${h.holdId ? ` (${h.holdId})` : ''}: ${planReasonText(h.reason)}`);
  }
  return lines.join('\n');
}

const pad = (n: number, width: number) => String(n).padStart(width);
