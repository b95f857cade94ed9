import type { Activity, Duty, Group, ObjectType, Person } from '@provsync/skolverket-api';

import { hashBody } from './canonical-hash.js';
import type { ObjectRef } from './verdict.js';

/** One object Skolverket should hold, with the content it should have. */
export interface DesiredObject {
  type: ObjectType;
  id: string;
  body: Person | Duty | Group | Activity;
  /** sha256 of the canonical JSON of `body`: equal content, equal hash. */
  hash: string;
  /** What must exist at Skolverket before this object is sent. */
  refs: ObjectRef[];
}

export const desiredKey = (type: ObjectType, id: string): string => `${type}:${id}`;

/** The desired objects by type, recording the key of each one added, changed or removed. */
export class DesiredObjects {
  private readonly byType: Record<ObjectType, Map<string, DesiredObject>> = {
    person: new Map(),
    duty: new Map(),
    group: new Map(),
    activity: new Map(),
  };

  get(type: ObjectType, id: string): DesiredObject | undefined {
    return this.byType[type].get(id);
  }

  list(type: ObjectType): DesiredObject[] {
    return [...this.byType[type].values()];
  }

  put(type: ObjectType, id: string, body: DesiredObject['body'] | undefined, refs: ObjectRef[], changed: Set<string>): void {
    const map = this.byType[type];
    const before = map.get(id);
    if (body === undefined) {
      if (before && map.delete(id)) changed.add(desiredKey(type, id));
      return;
    }
    const hash = hashBody(body);
    if (before?.hash === hash && sameRefs(before.refs, refs)) return;
    map.set(id, { type, id, body, hash, refs });
    changed.add(desiredKey(type, id));
  }
}

const sameRefs = (a: ObjectRef[], b: ObjectRef[]): boolean =>
  a.length === b.length && a.every((ref, i) => ref.type === b[i]!.type && ref.id === b[i]!.id);
