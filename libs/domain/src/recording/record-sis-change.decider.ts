import type { SisChange } from '../sis/sis-change.js';
import {
  type ChangeOrder,
  type EntityStreamEvent,
  OUT_OF_ORDER_SIS_CHANGE_RECORDED,
  type Receipt,
  SIS_CHANGE_RECORDED,
} from './recording-events.js';

/** What an entity's stream says about ordering: the change currently applied, if any. */
export interface EntityStreamState {
  applied: ChangeOrder | null;
}

export const initialEntityStreamState: EntityStreamState = { applied: null };

export function evolveEntityStream(state: EntityStreamState, event: EntityStreamEvent): EntityStreamState {
  switch (event.type) {
    case SIS_CHANGE_RECORDED:
      return { applied: orderOf(event.data.change) };
    case OUT_OF_ORDER_SIS_CHANGE_RECORDED:
      return state;
    default: {
      const exhaustive: never = event;
      return exhaustive;
    }
  }
}

/** Records a change as the new state, or, when it is older than the applied one, for the audit trail only. */
export function decideRecordSisChange(state: EntityStreamState, change: SisChange, receipt: Receipt): EntityStreamEvent {
  if (state.applied && isOlder(orderOf(change), state.applied)) {
    return { type: OUT_OF_ORDER_SIS_CHANGE_RECORDED, data: { change, receipt, supersededBy: state.applied } };
  }
  return { type: SIS_CHANGE_RECORDED, data: { change, receipt } };
}

function orderOf(change: SisChange): ChangeOrder {
  return { source: change.source, sequence: change.sequence, time: change.time };
}

/**
 * Sequences are per source, so they order two changes only when both come from the same source and carry
 * one; otherwise the change times decide. A tie is not older: the later arrival wins.
 */
export function isOlder(candidate: ChangeOrder, applied: ChangeOrder): boolean {
  if (candidate.source === applied.source && candidate.sequence !== undefined && applied.sequence !== undefined) {
    return compareSequences(candidate.sequence, applied.sequence) < 0;
  }
  return Date.parse(candidate.time) < Date.parse(applied.time);
}

/** Zero-padded counters compare as strings; a shorter unpadded one is the smaller number. */
export function compareSequences(a: string, b: string): number {
  const x = a.replace(/^0+(?=.)/, '');
  const y = b.replace(/^0+(?=.)/, '');
  if (x.length !== y.length) return x.length - y.length;
  return x < y ? -1 : x > y ? 1 : 0;
}
