import { OBJECT_TYPES, type ObjectType } from '@provsync/skolverket-api';
import { countDeletes, type DeleteCounts } from './hold-events.js';

/**
 * When deletes waiting at once are too many to send without an operator: more than `maxObjects` in all, or more
 * than `maxPercent` % of what Skolverket holds of a type (rounded up, so one object alone never trips it).
 * Either limit may be absent; both absent turns the count guard off (reference-data losses are still held).
 */
export interface DeleteThreshold {
  maxObjects?: number;
  maxPercent?: number;
}

export const DEFAULT_DELETE_THRESHOLD: DeleteThreshold = { maxObjects: 500, maxPercent: 10 };

/** `500,10%` → { maxObjects: 500, maxPercent: 10 }; `off` → {}. Throws a message naming what is wrong. */
export function parseDeleteThreshold(text: string): DeleteThreshold {
  const value = text.trim();
  if (value === 'off') return {};
  const threshold: DeleteThreshold = {};
  for (const part of value.split(',').map((p) => p.trim())) {
    const percent = /^(\d+(?:\.\d+)?)%$/.exec(part);
    if (percent && threshold.maxPercent === undefined && Number(percent[1]) <= 100) threshold.maxPercent = Number(percent[1]);
    else if (/^\d+$/.test(part) && threshold.maxObjects === undefined) threshold.maxObjects = Number(part);
    else throw new Error(`must be a number of objects, a percentage, or both (e.g. 500,10%), or off; "${part}" is not one`);
  }
  return threshold;
}

export function thresholdText(threshold: DeleteThreshold): string {
  const parts = [
    threshold.maxObjects !== undefined ? `${threshold.maxObjects} objects` : '',
    threshold.maxPercent !== undefined ? `${threshold.maxPercent} % of a type` : '',
  ].filter(Boolean);
  return parts.length ? `more than ${parts.join(' or more than ')}` : 'off';
}

/**
 * Whether these deletes, waiting at once, need an operator. `held` counts what Skolverket holds per type (the
 * base of the percentage); it is asked for only when the object limit alone does not decide.
 */
export function exceedsThreshold(keys: ReadonlySet<string>, threshold: DeleteThreshold, held: () => Record<ObjectType, number>): boolean {
  if (keys.size === 0) return false;
  if (threshold.maxObjects !== undefined && keys.size > threshold.maxObjects) return true;
  if (threshold.maxPercent === undefined) return false;
  const deletes: DeleteCounts = countDeletes(keys);
  const base = held();
  return OBJECT_TYPES.some((type) => (deletes[type] ?? 0) > Math.ceil((base[type] * threshold.maxPercent!) / 100));
}

/** Objects acknowledged per type (one pass over the keys). */
export function countByType(keys: Iterable<string>): Record<ObjectType, number> {
  const counts = { person: 0, duty: 0, group: 0, activity: 0 } as Record<ObjectType, number>;
  for (const key of keys) {
    const type = key.slice(0, key.indexOf(':')) as ObjectType;
    if (type in counts) counts[type]++;
  }
  return counts;
}
