import { OBJECT_TYPES, type ObjectType } from '@provsync/skolverket-api';
import type { StoreView } from './validation/index.js';

export interface StoredObject {
  id: string;
  organisationNumber: string;
  /** Insertion order, for stable paging. */
  seq: number;
  value: Record<string, unknown>;
  created: string;
  modified: string;
}

export interface StoreSnapshot {
  version: 1;
  seq: number;
  objects: Record<ObjectType, StoredObject[]>;
}

type Key = `${ObjectType}:${string}`;
/** What a deleted object leaves in the insertion-order list until the list is compacted. */
type Slot = StoredObject | { seq: number; gone: true };
const live = (slot: Slot): slot is StoredObject => !('gone' in slot);
const key = (type: ObjectType, id: string): Key => `${type}:${id}`;

/** The ids an object refers to, by type: what makes a delete of them an Error. */
function referencesOf(type: ObjectType, value: Record<string, unknown>): Key[] {
  const ids = (list: unknown, pick: (item: any) => unknown) =>
    Array.isArray(list) ? list.map(pick).filter((id): id is string => typeof id === 'string').map((id) => id.toLowerCase()) : [];
  switch (type) {
    case 'duty':
      return ids([value.person], (p) => p?.id).map((id) => key('person', id));
    case 'group':
      return ids(value.groupMemberships, (m) => m?.person?.id).map((id) => key('person', id));
    case 'activity':
      return [
        ...ids(value.groups, (g) => g?.id).map((id) => key('group', id)),
        ...ids(value.teachers, (t) => t?.duty?.id).map((id) => key('duty', id)),
      ];
    default:
      return [];
  }
}

/** Everything organisers have stored, with the indexes validation, lookups and paging need. */
export class ObjectStore implements StoreView {
  private seq = 0;
  private readonly byId = new Map<Key, StoredObject>();
  /** Per type, in insertion order; deleted objects leave a slot so deletes stay cheap, compacted now and then. */
  private readonly order: Record<ObjectType, Slot[]> = { person: [], duty: [], group: [], activity: [] };
  private readonly gone: Record<ObjectType, number> = { person: 0, duty: 0, group: 0, activity: 0 };
  private readonly referrers = new Map<Key, Set<Key>>();
  private readonly eppns = new Map<string, string>();

  get(type: ObjectType, id: string): StoredObject | undefined {
    return this.byId.get(key(type, id.toLowerCase()));
  }

  find(type: ObjectType, id: string, organisationNumber: string): Record<string, unknown> | undefined {
    const stored = this.get(type, id);
    return stored?.organisationNumber === organisationNumber ? stored.value : undefined;
  }

  personIdByEppn(eppn: string): string | undefined {
    return this.eppns.get(eppn.toLowerCase());
  }

  hasDuties(personId: string): boolean {
    return this.referrersOf('person', personId).some((ref) => ref.type === 'duty');
  }

  referrersOf(type: ObjectType, id: string): Array<{ type: ObjectType; id: string }> {
    return [...(this.referrers.get(key(type, id.toLowerCase())) ?? [])].map((ref) => {
      const at = ref.indexOf(':');
      return { type: ref.slice(0, at) as ObjectType, id: ref.slice(at + 1) };
    });
  }

  /** Stores or replaces an object; `now` is an ISO time. */
  put(type: ObjectType, organisationNumber: string, value: Record<string, unknown>, now: string): 'created' | 'updated' {
    const id = String(value.id);
    const existing = this.byId.get(key(type, id));
    if (existing) this.unindex(type, existing);
    const stored: StoredObject = existing
      ? { ...existing, value, modified: now }
      : { id, organisationNumber, seq: ++this.seq, value, created: now, modified: now };
    this.byId.set(key(type, id), stored);
    if (existing) this.order[type][this.indexOf(type, existing.seq)] = stored;
    else this.order[type].push(stored);
    this.index(type, stored);
    return existing ? 'updated' : 'created';
  }

  remove(type: ObjectType, id: string): boolean {
    const existing = this.get(type, id);
    if (!existing) return false;
    this.unindex(type, existing);
    this.byId.delete(key(type, existing.id));
    const list = this.order[type];
    list[this.indexOf(type, existing.seq)] = { seq: existing.seq, gone: true };
    if (++this.gone[type] > 1000 && this.gone[type] * 2 > list.length) {
      this.order[type] = list.filter(live);
      this.gone[type] = 0;
    }
    return true;
  }

  /** One page of an organiser's objects after insertion number `afterSeq`. */
  page(type: ObjectType, organisationNumber: string, afterSeq: number, limit: number): { items: StoredObject[]; more: boolean } {
    const list = this.order[type];
    const items: StoredObject[] = [];
    for (let i = this.firstAfter(type, afterSeq); i < list.length; i++) {
      const stored = list[i]!;
      if (!live(stored) || stored.organisationNumber !== organisationNumber) continue;
      if (items.length === limit) return { items, more: true };
      items.push(stored);
    }
    return { items, more: false };
  }

  all(type: ObjectType): StoredObject[] {
    return this.order[type].filter(live);
  }

  clear(): void {
    this.byId.clear();
    this.referrers.clear();
    this.eppns.clear();
    for (const type of OBJECT_TYPES) {
      this.order[type] = [];
      this.gone[type] = 0;
    }
  }

  snapshot(): StoreSnapshot {
    return { version: 1, seq: this.seq, objects: { person: this.all('person'), duty: this.all('duty'), group: this.all('group'), activity: this.all('activity') } };
  }

  restore(snapshot: StoreSnapshot): void {
    this.clear();
    for (const type of OBJECT_TYPES) {
      for (const stored of [...(snapshot.objects[type] ?? [])].sort((a, b) => a.seq - b.seq)) {
        this.byId.set(key(type, stored.id), stored);
        this.order[type].push(stored);
        this.index(type, stored);
      }
    }
    this.seq = snapshot.seq;
  }

  private index(type: ObjectType, stored: StoredObject): void {
    for (const ref of referencesOf(type, stored.value)) {
      let set = this.referrers.get(ref);
      if (!set) this.referrers.set(ref, (set = new Set()));
      set.add(key(type, stored.id));
    }
    if (type === 'person') for (const eppn of eppnsOf(stored.value)) this.eppns.set(eppn, stored.id);
  }

  private unindex(type: ObjectType, stored: StoredObject): void {
    for (const ref of referencesOf(type, stored.value)) {
      const set = this.referrers.get(ref);
      set?.delete(key(type, stored.id));
      if (set?.size === 0) this.referrers.delete(ref);
    }
    if (type === 'person') for (const eppn of eppnsOf(stored.value)) if (this.eppns.get(eppn) === stored.id) this.eppns.delete(eppn);
  }

  /** Position of the first entry with seq > afterSeq (the list is sorted by seq). */
  private firstAfter(type: ObjectType, afterSeq: number): number {
    const list = this.order[type];
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (list[mid]!.seq <= afterSeq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private indexOf(type: ObjectType, seq: number): number {
    return this.firstAfter(type, seq - 1);
  }
}

function eppnsOf(person: Record<string, unknown>): string[] {
  const list = person.eduPersonPrincipalNames;
  return Array.isArray(list) ? list.filter((e): e is string => typeof e === 'string').map((e) => e.toLowerCase()) : [];
}
