import { OBJECT_TYPES, type ObjectType } from '@provsync/skolverket-api';
import { type DesiredItem, parseKey } from '../sync/plan-sync.js';
import type { HeldObject } from './reconcile-events.js';

/** How Skolverket's copy of an object differs from what provsync wants it to hold. */
export type Drift = 'missing' | 'different' | 'leftover';

export interface DriftedObject {
  type: ObjectType;
  id: string;
  drift: Drift;
  /** What the sync sends for it: missing → create, different → update, leftover → delete. */
  operation: 'create' | 'update' | 'delete';
}

export interface TypeComparison {
  /** Objects Skolverket holds of the type. */
  held: number;
  /** Held and equal to the desired state: acknowledged, never sent again. */
  equal: number;
  missing: number;
  different: number;
  leftover: number;
}

export interface HoldingsComparison {
  byType: Record<ObjectType, TypeComparison>;
  /** Creates and updates Person → Activity, then deletes Activity → Person: the order the sync sends them in. */
  drifted: DriftedObject[];
}

const OPERATION: Record<Drift, DriftedObject['operation']> = { missing: 'create', different: 'update', leftover: 'delete' };

/**
 * Compares what Skolverket holds (by `type:id`) with the desired state, by the canonical body hash the sync
 * sends under: equal hashes are equal objects.
 */
export function compareHoldings(desired: ReadonlyMap<string, DesiredItem>, held: ReadonlyMap<string, HeldObject>): HoldingsComparison {
  const byType = Object.fromEntries(
    OBJECT_TYPES.map((type) => [type, { held: 0, equal: 0, missing: 0, different: 0, leftover: 0 }]),
  ) as Record<ObjectType, TypeComparison>;
  const found: DriftedObject[] = [];
  const note = (key: string, drift: Drift) => {
    const { type, id } = parseKey(key);
    byType[type][drift]++;
    found.push({ type, id, drift, operation: OPERATION[drift] });
  };
  for (const [key, item] of desired) {
    const there = held.get(key);
    if (!there) note(key, 'missing');
    else if (there.hash !== item.hash) note(key, 'different');
    else byType[item.type].equal++;
  }
  for (const key of held.keys()) {
    byType[parseKey(key).type].held++;
    if (!desired.has(key)) note(key, 'leftover');
  }
  return { byType, drifted: found.sort(bySendOrder) };
}

const rank = (o: DriftedObject): number => {
  const position = OBJECT_TYPES.indexOf(o.type);
  return o.operation === 'delete' ? 2 * OBJECT_TYPES.length - position : position;
};

const bySendOrder = (a: DriftedObject, b: DriftedObject): number => rank(a) - rank(b);
