import { type DesiredItem, type DesiredStateProjection, desiredKey } from '@provsync/domain';
import { OBJECT_TYPES, type ObjectType } from '@provsync/skolverket-api';

/**
 * The projection's desired objects as one map keyed `type:id`, read through to the projection: a copy of
 * 220,000 entries with their keys was ~19 MB, and it had to be kept up to date change by change.
 */
export class DesiredView implements ReadonlyMap<string, DesiredItem> {
  /** `projection`: the projection, or where to find the current one (a persisted model may restore a new one). */
  constructor(projection: DesiredStateProjection | (() => DesiredStateProjection)) {
    this.source = typeof projection === 'function' ? projection : () => projection;
  }

  private readonly source: () => DesiredStateProjection;

  private get projection(): DesiredStateProjection {
    return this.source();
  }

  get size(): number {
    return OBJECT_TYPES.reduce((sum, type) => sum + this.projection.count(type), 0);
  }

  get(key: string): DesiredItem | undefined {
    const colon = key.indexOf(':');
    if (colon < 0) return undefined;
    const type = key.slice(0, colon) as ObjectType;
    return OBJECT_TYPES.includes(type) ? this.projection.get(type, key.slice(colon + 1)) : undefined;
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  *entries(): MapIterator<[string, DesiredItem]> {
    for (const type of OBJECT_TYPES) for (const item of this.projection.values(type)) yield [desiredKey(type, item.id), item];
  }

  *keys(): MapIterator<string> {
    for (const [key] of this.entries()) yield key;
  }

  *values(): MapIterator<DesiredItem> {
    for (const [, item] of this.entries()) yield item;
  }

  [Symbol.iterator](): MapIterator<[string, DesiredItem]> {
    return this.entries();
  }

  forEach(callback: (value: DesiredItem, key: string, map: ReadonlyMap<string, DesiredItem>) => void, thisArg?: unknown): void {
    for (const [key, item] of this.entries()) callback.call(thisArg, item, key, this);
  }
}
