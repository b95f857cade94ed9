import type { SisEntity } from '../sis/sis-change.js';
import { sisKey, type SisKey } from './sis-graph.js';

/**
 * For each day on which some SIS object's decision flips by itself, the objects to look at again. Kept per
 * entity by id, with one string per day (most objects share their few days): `entity:id` keys and a day
 * array per object were ~34 MB at 220,000 objects.
 */
export class TransitionCalendar {
  /** Day → entity → ids. */
  private readonly byDay = new Map<string, Map<SisEntity, Set<string>>>();
  /** Entity → id → its days (one day as the string itself). */
  private readonly byObject = new Map<SisEntity, Map<string, string | string[]>>();
  private readonly dayStrings = new Map<string, string>();

  set(entity: SisEntity, id: string, days: readonly string[]): void {
    let objects = this.byObject.get(entity);
    if (!objects) this.byObject.set(entity, (objects = new Map()));
    for (const day of asList(objects.get(id))) {
      const ids = this.byDay.get(day)?.get(entity);
      ids?.delete(id);
      if (ids?.size === 0) this.byDay.get(day)!.delete(entity);
      if (this.byDay.get(day)?.size === 0) this.byDay.delete(day);
    }
    const unique = [...new Set(days)].map((day) => this.intern(day));
    if (unique.length === 0) {
      objects.delete(id);
      return;
    }
    objects.set(id, unique.length === 1 ? unique[0]! : unique);
    for (const day of unique) {
      let entities = this.byDay.get(day);
      if (!entities) this.byDay.set(day, (entities = new Map()));
      let ids = entities.get(entity);
      if (!ids) entities.set(entity, (ids = new Set()));
      ids.add(id);
    }
  }

  /** Objects with a flip on a day in (earlier, later], whichever way time moved. */
  flipsBetween(oneDay: string, otherDay: string): Set<SisKey> {
    const [from, to] = oneDay < otherDay ? [oneDay, otherDay] : [otherDay, oneDay];
    const found = new Set<SisKey>();
    for (const [day, entities] of this.byDay) {
      if (day > from && day <= to) for (const [entity, ids] of entities) for (const id of ids) found.add(sisKey(entity, id));
    }
    return found;
  }

  private intern(day: string): string {
    const held = this.dayStrings.get(day);
    if (held !== undefined) return held;
    this.dayStrings.set(day, day);
    return day;
  }
}

const asList = (days: string | string[] | undefined): readonly string[] => (days === undefined ? [] : typeof days === 'string' ? [days] : days);
