import type { SisEntity } from '../sis/sis-change.js';
import { sisKey, type SisKey } from './sis-graph.js';
import { StringPool } from './string-pool.js';

export type CalendarState = Map<SisEntity, Map<string, string | string[]>>;

/**
 * For each SIS object, the days on which its decision flips by itself (dates passing). Kept per entity by
 * id, with one string per day (most objects share their few days), and no index by day: the day changes
 * once a day, and looking through 220,000 entries then takes milliseconds. `entity:id` keys, a day array
 * per object and a Set of keys per day were ~34 MB at 150,000 pupils.
 */
export class TransitionCalendar {
  /** Entity → id → its days (one day as the string itself). */
  private readonly byObject = new Map<SisEntity, Map<string, string | string[]>>();
  private readonly dayPool = new StringPool();

  set(entity: SisEntity, id: string, days: readonly string[]): void {
    let objects = this.byObject.get(entity);
    if (!objects) this.byObject.set(entity, (objects = new Map()));
    if (days.length === 0) {
      objects.delete(id);
      return;
    }
    const unique = days.length === 1 ? days : [...new Set(days)];
    objects.set(id, unique.length === 1 ? this.dayPool.intern(unique[0]!) : unique.map((day) => this.dayPool.intern(day)));
  }

  /** The calendar as plain data (live: serialise it before changing the calendar). */
  exportState(): CalendarState {
    return this.byObject;
  }

  /** Takes `state` over (its days best shared already: each distinct day one string). */
  static fromState(state: CalendarState): TransitionCalendar {
    const calendar = new TransitionCalendar();
    for (const [entity, objects] of state) calendar.byObject.set(entity, objects);
    return calendar;
  }

  /** Objects with a flip on a day in (earlier, later], whichever way time moved. */
  flipsBetween(oneDay: string, otherDay: string): Set<SisKey> {
    const [from, to] = oneDay < otherDay ? [oneDay, otherDay] : [otherDay, oneDay];
    const within = (day: string) => day > from && day <= to;
    const found = new Set<SisKey>();
    for (const [entity, objects] of this.byObject) {
      for (const [id, days] of objects) {
        if (typeof days === 'string' ? within(days) : days.some(within)) found.add(sisKey(entity, id));
      }
    }
    return found;
  }
}
