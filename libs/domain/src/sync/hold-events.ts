import type { ObjectType } from '@provsync/skolverket-api';

/** Why the guard held deletes back. */
export type HoldReason =
  /** More deletes waited at once than `PROVSYNC_DELETE_THRESHOLD` allows. */
  | { kind: 'mass-delete'; limit: string }
  /** Skolverket's open data lost school units, programmes or test activities the desired state rested on. */
  | { kind: 'reference-data-lost'; lost: ReferenceDataLoss };

/** Codes and ids the open-data API no longer lists (never personal data). */
export interface ReferenceDataLoss {
  schoolUnits: string[];
  programmes: string[];
  testActivities: string[];
}

export type DeleteCounts = Partial<Record<ObjectType, number>>;

/**
 * The guard held these deletes (keys `type:id`): creates and updates go on, these wait for an operator.
 * The hold names its deletes so that an approval sends exactly what the operator saw, and nothing later.
 */
export interface HoldPlaced {
  type: 'HoldPlaced';
  data: { holdId: string; reason: HoldReason; deletes: DeleteCounts; keys: string[]; at: string };
}

/** An operator let the hold's deletes go (`provsync holds approve <id>`). */
export interface HoldApproved {
  type: 'HoldApproved';
  data: { holdId: string; by: string; at: string };
}

/** An operator refused the hold's deletes (`provsync holds reject <id>`): they stay at Skolverket. */
export interface HoldRejected {
  type: 'HoldRejected';
  data: { holdId: string; by: string; at: string };
}

export type HoldEvent = HoldPlaced | HoldApproved | HoldRejected;

/**
 * Where operators' decisions are recorded: a stream beside the sync stream, whose one writer is the sync leader
 * (a decision written there would break a running leader's expected revision). Folded with the sync stream, in
 * store order.
 */
export const HOLD_DECISIONS_STREAM = 'skolverket-sync-hold-decisions';

export function countDeletes(keys: Iterable<string>): DeleteCounts {
  const counts: DeleteCounts = {};
  for (const key of keys) {
    const type = key.slice(0, key.indexOf(':')) as ObjectType;
    counts[type] = (counts[type] ?? 0) + 1;
  }
  return counts;
}

/** "person 36, group 2": what a hold holds, for a line of text. */
export function deletesText(deletes: DeleteCounts): string {
  return Object.entries(deletes)
    .map(([type, n]) => `${type} ${n}`)
    .join(', ');
}

export function holdReasonText(reason: HoldReason): string {
  switch (reason.kind) {
    case 'mass-delete':
      return `more deletes at once than the threshold allows (${reason.limit})`;
    case 'reference-data-lost': {
      const { schoolUnits, programmes, testActivities } = reason.lost;
      const parts = [
        schoolUnits.length ? `school units ${schoolUnits.join(', ')}` : '',
        programmes.length ? `programmes ${programmes.join(', ')}` : '',
        testActivities.length ? `test activities ${testActivities.join(', ')}` : '',
      ].filter(Boolean);
      return `Skolverket's open data no longer lists ${parts.join('; ')}`;
    }
    default: {
      const exhaustive: never = reason;
      return exhaustive;
    }
  }
}
