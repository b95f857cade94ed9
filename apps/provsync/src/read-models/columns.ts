/** Maps as columns for v8's serializer: ids as numbers into one table of strings, counts and flags as typed arrays. */

/**
 * Every id (and day) written once, in a table; the columns hold their numbers. At 150,000 pupils the same ids came
 * back ~2.5 million times (keys, reverse indexes, refs), and reading back a string each time was most of the cost.
 */
export class StringTable {
  readonly strings: string[] = [];
  private readonly numbers = new Map<string, number>();

  index(value: string): number {
    let n = this.numbers.get(value);
    if (n === undefined) {
      n = this.strings.length;
      this.strings.push(value);
      this.numbers.set(value, n);
    }
    return n;
  }

  indexes(values: Iterable<string>): Uint32Array {
    return Uint32Array.from(values, (v) => this.index(v));
  }
}

export interface MapColumns<V> {
  keys: Uint32Array;
  values: V[];
}

/** A map from a key to one, a few or many strings: one referrer as the string, more as an array (a Set from 32 on). */
export interface MultimapColumns {
  keys: Uint32Array;
  /** How many values each key has; 0 means one value held as the string itself. */
  counts: Uint32Array;
  values: Uint32Array;
  /** Keys whose values were a Set. */
  sets: Uint32Array;
}

export function mapValues<K extends string, A, B>(record: Record<K, A>, f: (a: A) => B): Record<K, B> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, f(v as A)])) as Record<K, B>;
}

export function mapColumns<V, W = V>(t: StringTable, map: ReadonlyMap<string, V>, f: (v: V) => W = (v) => v as unknown as W): MapColumns<W> {
  const keys = new Uint32Array(map.size);
  const values: W[] = new Array(map.size);
  let i = 0;
  for (const [key, value] of map) {
    keys[i] = t.index(key);
    values[i++] = f(value);
  }
  return { keys, values };
}

export function mapOf<V, W>(strings: string[], columns: MapColumns<V>, f: (v: V) => W): Map<string, W> {
  const map = new Map<string, W>();
  const { keys, values } = columns;
  for (let i = 0; i < keys.length; i++) map.set(strings[keys[i]!]!, f(values[i]!));
  return map;
}

export function multimapColumns(t: StringTable, map: ReadonlyMap<string, string | readonly string[] | ReadonlySet<string>>): MultimapColumns {
  const keys = new Uint32Array(map.size);
  const counts = new Uint32Array(map.size);
  const values: number[] = [];
  const sets: number[] = [];
  let i = 0;
  for (const [key, held] of map) {
    keys[i] = t.index(key);
    if (typeof held === 'string') values.push(t.index(held));
    else {
      if (!Array.isArray(held)) sets.push(keys[i]!);
      let n = 0;
      for (const value of held) {
        values.push(t.index(value));
        n++;
      }
      counts[i] = n;
    }
    i++;
  }
  return { keys, counts, values: Uint32Array.from(values), sets: Uint32Array.from(sets) };
}

export function multimapOf(strings: string[], c: MultimapColumns): Map<string, string | string[] | Set<string>> {
  const map = new Map<string, string | string[] | Set<string>>();
  let at = 0;
  for (let i = 0; i < c.keys.length; i++) {
    const n = c.counts[i]!;
    if (n === 0) map.set(strings[c.keys[i]!]!, strings[c.values[at++]!]!);
    else {
      const values = new Array<string>(n);
      for (let v = 0; v < n; v++) values[v] = strings[c.values[at++]!]!;
      map.set(strings[c.keys[i]!]!, values);
    }
  }
  for (const key of c.sets) map.set(strings[key]!, new Set(map.get(strings[key]!) as string[]));
  return map;
}

export const listOf = (held: string | string[] | Set<string> | undefined): string[] =>
  held === undefined ? [] : typeof held === 'string' ? [held] : [...held];

