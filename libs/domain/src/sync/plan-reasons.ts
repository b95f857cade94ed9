import { periodReason } from '../desired-state/calendar.js';
import type { Explanation } from '../desired-state/explain.js';
import type { Drift } from '../reconcile/compare-holdings.js';
import { type BatchItem, type Operation, refKey, type SyncEvent } from './sync-events.js';

/** Why the next sync sends an object: field names, codes and ids only, never values. */
export type PlanReason =
  | { kind: 'new-in-sis' }
  /** `fields`: the top-level fields that differ from what Skolverket acknowledged (absent: not known here). */
  | { kind: 'changed'; fields?: string[] }
  /** A batch recorded before a stop and never answered: sent again as it was. */
  | { kind: 'resend' }
  | { kind: 'deleted-in-sis' }
  | { kind: 'ended-by-date' }
  /** Still in the SIS, but the rules no longer send it: their reasons. */
  | { kind: 'no-longer-sent'; why: string[] }
  /** Found missing, different or left over at Skolverket by `provsync reconcile`. */
  | { kind: 'drift'; found?: Drift };

export function planReasonText(reason: PlanReason): string {
  switch (reason.kind) {
    case 'new-in-sis':
      return 'new in the SIS (not at Skolverket yet)';
    case 'changed':
      return reason.fields ? `changed ${reason.fields.join(', ') || 'nothing Skolverket shows'}` : 'changed (fields not known: Skolverket\'s copy was not sent from this store)';
    case 'resend':
      return 'sent before a stop and never answered: sent again';
    case 'deleted-in-sis':
      return 'deleted in the SIS';
    case 'ended-by-date':
      return 'ended by date';
    case 'no-longer-sent':
      return `no longer sent: ${reason.why.join('; ')}`;
    case 'drift':
      return `drift found by reconcile: ${DRIFT_TEXT[reason.found ?? 'different']}`;
    default: {
      const exhaustive: never = reason;
      return exhaustive;
    }
  }
}

const DRIFT_TEXT: Record<Drift, string> = {
  missing: 'Skolverket does not hold it',
  different: 'Skolverket holds it with other content',
  leftover: 'Skolverket holds it and provsync does not want it',
};

/** Why an object Skolverket holds is no longer desired, from the rules' explanation of its SIS object. */
export function deleteReason(explanation: Explanation | undefined): PlanReason {
  if (!explanation?.entity) return { kind: 'deleted-in-sis' };
  if (explanation.reasons.some((r) => r.includes(periodReason('ended')))) return { kind: 'ended-by-date' };
  return { kind: 'no-longer-sent', why: explanation.reasons };
}

/**
 * What Skolverket acknowledged of each object, body and all, folded from the sync stream: what `plan` compares
 * an update with to name the changed fields. The sync's own state keeps only hashes.
 */
export class AcknowledgedBodies {
  readonly bodies = new Map<string, unknown>();
  private readonly open = new Map<string, { type: string; operation: Operation; items: BatchItem[]; body: unknown[] }>();

  apply(event: SyncEvent): void {
    switch (event.type) {
      case 'BatchSubmissionStarted': {
        const { batchId, objectType, operation, items, body } = event.data;
        this.open.set(batchId, { type: objectType, operation, items, body });
        return;
      }
      case 'BatchRefused':
        this.open.delete(event.data.batchId);
        return;
      case 'JobResultsRecorded': {
        const batch = this.open.get(event.data.batchId);
        if (!batch) return;
        this.open.delete(event.data.batchId);
        const status = new Map(event.data.results.map((r) => [r.id, r]));
        batch.items.forEach((item, n) => {
          const result = status.get(item.id);
          const gone = batch.operation === 'delete' && result?.statusCode === 404;
          if (result && result.status !== 'Success' && result.status !== 'Warning' && !gone) return;
          const key = refKey({ type: batch.type as 'person', id: item.id });
          if (batch.operation === 'delete') this.bodies.delete(key);
          else this.bodies.set(key, batch.body[n]);
        });
        return;
      }
      default:
        return;
    }
  }
}
