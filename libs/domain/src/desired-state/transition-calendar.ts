import type { SisKey } from './sis-graph.js';

/** For each day on which some SIS object's decision flips by itself, the objects to look at again. */
export class TransitionCalendar {
  private readonly byDay = new Map<string, Set<SisKey>>();
  private readonly byKey = new Map<SisKey, string[]>();

  set(key: SisKey, days: readonly string[]): void {
    for (const day of this.byKey.get(key) ?? []) {
      const keys = this.byDay.get(day);
      keys?.delete(key);
      if (keys?.size === 0) this.byDay.delete(day);
    }
    const unique = [...new Set(days)];
    if (unique.length === 0) {
      this.byKey.delete(key);
      return;
    }
    this.byKey.set(key, unique);
    for (const day of unique) {
      let keys = this.byDay.get(day);
      if (!keys) this.byDay.set(day, (keys = new Set()));
      keys.add(key);
    }
  }

  /** Objects with a flip on a day in (earlier, later], whichever way time moved. */
  flipsBetween(oneDay: string, otherDay: string): Set<SisKey> {
    const [from, to] = oneDay < otherDay ? [oneDay, otherDay] : [otherDay, oneDay];
    const found = new Set<SisKey>();
    for (const [day, keys] of this.byDay) {
      if (day > from && day <= to) for (const key of keys) found.add(key);
    }
    return found;
  }
}
