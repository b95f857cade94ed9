export const SET_FROM = 32;

export type ReverseIndexState = Map<string, string | string[] | Set<string>>;
const NONE: readonly string[] = [];

/**
 * From one id to the ids that refer to it, without duplicates. Most ids have one to a few referrers, so
 * one is kept as the string itself and a few as an array; a Set only from `SET_FROM` on. At 150,000 pupils
 * a Set per pupil was most of the reverse indexes' memory.
 */
export class ReverseIndex {
  private map: ReverseIndexState = new Map();

  add(target: string, value: string): void {
    const held = this.map.get(target);
    if (held === undefined) this.map.set(target, value);
    else if (typeof held === 'string') {
      if (held !== value) this.map.set(target, [held, value]);
    } else if (Array.isArray(held)) {
      if (held.includes(value)) return;
      if (held.length + 1 < SET_FROM) held.push(value);
      else this.map.set(target, new Set([...held, value]));
    } else held.add(value);
  }

  remove(target: string, value: string): void {
    const held = this.map.get(target);
    if (held === undefined) return;
    if (typeof held === 'string') {
      if (held === value) this.map.delete(target);
    } else if (Array.isArray(held)) {
      const at = held.indexOf(value);
      if (at < 0) return;
      held.splice(at, 1);
      if (held.length === 1) this.map.set(target, held[0]!);
    } else {
      held.delete(value);
      if (held.size === 0) this.map.delete(target);
    }
  }

  /** The referrers of `target` (a live view: do not change the index while iterating it). */
  of(target: string): ReadonlySet<string> | readonly string[] {
    const held = this.map.get(target);
    if (held === undefined) return NONE;
    return typeof held === 'string' ? [held] : held;
  }

  /** The referrers of `target`, which leave the index. */
  take(target: string): ReadonlySet<string> | readonly string[] {
    const held = this.of(target);
    this.map.delete(target);
    return held;
  }

  /** The index as plain data (live: serialise it before changing the index). */
  exportState(): ReverseIndexState {
    return this.map;
  }

  /** Takes `state` over (a Set from SET_FROM referrers on, an array below, one as the string: as `add` keeps them). */
  static fromState(state: ReverseIndexState): ReverseIndex {
    const index = new ReverseIndex();
    index.map = state;
    return index;
  }

  count(target: string): number {
    const held = this.map.get(target);
    if (held === undefined) return 0;
    if (typeof held === 'string') return 1;
    return Array.isArray(held) ? held.length : held.size;
  }
}
