/**
 * The names of the fields that differ between two versions of an SS12000 object: `emails`, `civicNo.value`.
 * Nested objects are followed to their leaves; a list counts as one field (which of its items changed is not
 * a name a reader can use). Names only: the values are personal data and stay in the event store.
 */
export function changedFields(before: unknown, after: unknown): string[] {
  const names: string[] = [];
  collect(before, after, '', names);
  return names.sort();
}

function collect(before: unknown, after: unknown, path: string, names: string[]): void {
  if (isRecord(before) && isRecord(after)) {
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
      collect(before[key], after[key], path ? `${path}.${key}` : key, names);
    }
    return;
  }
  if (path && !sameValue(before, after)) names.push(path);
  else if (!path && !sameValue(before, after)) names.push(...Object.keys(isRecord(after) ? after : isRecord(before) ? before : {}));
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => sameValue(item, b[i]));
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
