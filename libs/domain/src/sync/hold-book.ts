import type { DeleteCounts, HoldApproved, HoldEvent, HoldReason, HoldRejected, ReferenceDataLoss } from './hold-events.js';

export interface Hold {
  holdId: string;
  reason: HoldReason;
  deletes: DeleteCounts;
  placedAt: string;
  decision?: { verdict: 'approved' | 'rejected'; by: string; at: string };
}

/**
 * The guard's record: every hold, and per delete key what was decided about it. A key leaves these sets once
 * Skolverket acknowledged it either way (deleted, or sent again because it is desired again): a later delete of
 * it is a new one, for the guard to judge afresh.
 */
export interface HoldBook {
  holds: Map<string, Hold>;
  /** Deletes waiting in an open hold → the hold. */
  held: Map<string, string>;
  /** Deletes an operator approved: they go without the guard. */
  approved: Set<string>;
  /** Deletes an operator rejected → the hold: they stay at Skolverket. */
  rejected: Map<string, string>;
}

export function emptyHoldBook(): HoldBook {
  return { holds: new Map(), held: new Map(), approved: new Set(), rejected: new Map() };
}

/** Folds a hold event; returns the keys whose verdict it changes. A repeated decision changes nothing. */
export function evolveHolds(book: HoldBook, event: HoldEvent): string[] {
  switch (event.type) {
    case 'HoldPlaced': {
      const { holdId, reason, deletes, keys, at } = event.data;
      if (book.holds.has(holdId)) return [];
      book.holds.set(holdId, { holdId, reason, deletes, placedAt: at });
      for (const key of keys) book.held.set(key, holdId);
      return keys;
    }
    case 'HoldApproved':
    case 'HoldRejected': {
      const hold = book.holds.get(event.data.holdId);
      if (!hold || hold.decision) return [];
      const verdict = event.type === 'HoldApproved' ? 'approved' : 'rejected';
      hold.decision = { verdict, by: event.data.by, at: event.data.at };
      const keys = [...book.held].filter(([, holdId]) => holdId === hold.holdId).map(([key]) => key);
      for (const key of keys) {
        book.held.delete(key);
        if (verdict === 'approved') book.approved.add(key);
        else book.rejected.set(key, hold.holdId);
      }
      return keys;
    }
    default: {
      const exhaustive: never = event;
      return exhaustive;
    }
  }
}

/** Skolverket acknowledged the key (deleted, or upserted): what the guard decided about it is spent. */
export function settleHeldKey(book: HoldBook, key: string): void {
  if (book.held.size) book.held.delete(key);
  if (book.approved.size) book.approved.delete(key);
  if (book.rejected.size) book.rejected.delete(key);
}

/** Whether a hold was placed for this loss of reference data. */
export function heldFor(book: HoldBook, loss: ReferenceDataLoss): boolean {
  const same = JSON.stringify(loss);
  return [...book.holds.values()].some((hold) => hold.reason.kind === 'reference-data-lost' && JSON.stringify(hold.reason.lost) === same);
}

export function openHolds(book: HoldBook): Hold[] {
  return [...book.holds.values()].filter((hold) => !hold.decision);
}

/** The next hold's id: short enough to type (`provsync holds approve hold-3`), and the same in a dry run. */
export const nextHoldId = (book: HoldBook): string => `hold-${book.holds.size + 1}`;

export interface DecideHold {
  verdict: 'approve' | 'reject';
  holdId: string;
  /** Who decides: the OS user running `provsync holds`. */
  by: string;
  at: string;
}

/** An operator's decision about a hold: the event to record, or why it is refused (an unknown or decided hold). */
export function decideHold(book: HoldBook, command: DecideHold): { event: HoldApproved | HoldRejected } | { refused: string } {
  const hold = book.holds.get(command.holdId);
  if (!hold) {
    const open = openHolds(book).map((h) => h.holdId);
    return { refused: `no hold ${command.holdId}; ${open.length ? `open: ${open.join(', ')}` : 'none is open'}` };
  }
  if (hold.decision) {
    return { refused: `${hold.holdId} was already ${hold.decision.verdict} by ${hold.decision.by} at ${hold.decision.at}` };
  }
  const data = { holdId: hold.holdId, by: command.by, at: command.at };
  return { event: command.verdict === 'approve' ? { type: 'HoldApproved', data } : { type: 'HoldRejected', data } };
}
