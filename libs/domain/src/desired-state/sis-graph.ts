import type { SisEntity } from '../sis/sis-change.js';
import type {
  SisActivity,
  SisDuty,
  SisGroup,
  SisOrganisation,
  SisPerson,
} from '../sis/sis-objects.schema.js';

/** `${entity}:${sisId}`: one SIS object. */
export type SisKey = `${SisEntity}:${string}`;

export const sisKey = (entity: SisEntity, id: string): SisKey => `${entity}:${id}`;

export function parseSisKey(key: SisKey): { entity: SisEntity; id: string } {
  const colon = key.indexOf(':');
  return { entity: key.slice(0, colon) as SisEntity, id: key.slice(colon + 1) };
}

type ReverseIndexName = 'dutiesOfPerson' | 'groupsOfPerson' | 'activitiesOfDuty' | 'activitiesOfGroup' | 'dependentsOfOrganisation';
interface Link {
  index: ReverseIndexName;
  target: string;
  value: string;
}

/**
 * The latest SIS object of every entity, with reverse indexes from each referenced id to the objects
 * that refer to it. Indexes hold ids even before the referenced object arrives, so its arrival
 * reaches everything that waited for it.
 */
export class SisGraph {
  readonly organisations = new Map<string, SisOrganisation>();
  readonly persons = new Map<string, SisPerson>();
  readonly duties = new Map<string, SisDuty>();
  readonly groups = new Map<string, SisGroup>();
  readonly activities = new Map<string, SisActivity>();
  private readonly reverse: Record<ReverseIndexName, Map<string, Set<string>>> = {
    dutiesOfPerson: new Map(),
    groupsOfPerson: new Map(),
    activitiesOfDuty: new Map(),
    activitiesOfGroup: new Map(),
    dependentsOfOrganisation: new Map(),
  };

  get(entity: SisEntity, id: string): object | undefined {
    return this.store(entity).get(id);
  }

  entityOf(id: string): SisEntity | undefined {
    for (const entity of ['person', 'duty', 'group', 'activity', 'organisation'] as const) {
      if (this.store(entity).has(id)) return entity;
    }
    return undefined;
  }

  /** Stores (or, with null, removes) an object and re-links it; returns the object it replaced. */
  put(entity: SisEntity, id: string, data: object | null): object | undefined {
    const store = this.store(entity) as Map<string, object>;
    const before = store.get(id);
    if (before) for (const link of linksOf(entity, id, before)) this.unlink(link);
    if (data) {
      store.set(id, data);
      for (const link of linksOf(entity, id, data)) this.link(link);
    } else {
      store.delete(id);
    }
    return before;
  }

  dutiesOfPerson = (personId: string): ReadonlySet<string> => this.lookup('dutiesOfPerson', personId);
  groupsOfPerson = (personId: string): ReadonlySet<string> => this.lookup('groupsOfPerson', personId);
  activitiesOfDuty = (dutyId: string): ReadonlySet<string> => this.lookup('activitiesOfDuty', dutyId);
  activitiesOfGroup = (groupId: string): ReadonlySet<string> => this.lookup('activitiesOfGroup', groupId);
  /** Persons (by enrolment), duties, groups and activities that refer to this organisation id. */
  dependentsOfOrganisation = (orgId: string): ReadonlySet<SisKey> =>
    this.lookup('dependentsOfOrganisation', orgId) as ReadonlySet<SisKey>;

  keys(entity: SisEntity): IterableIterator<string> {
    return this.store(entity).keys();
  }

  private store(entity: SisEntity): Map<string, object> {
    switch (entity) {
      case 'organisation':
        return this.organisations;
      case 'person':
        return this.persons;
      case 'duty':
        return this.duties;
      case 'group':
        return this.groups;
      case 'activity':
        return this.activities;
      default: {
        const unknown: never = entity;
        throw new Error(`unknown SIS entity ${String(unknown)}`);
      }
    }
  }

  private lookup(index: ReverseIndexName, target: string): ReadonlySet<string> {
    return this.reverse[index].get(target) ?? EMPTY;
  }

  private link({ index, target, value }: Link): void {
    const map = this.reverse[index];
    let set = map.get(target);
    if (!set) map.set(target, (set = new Set()));
    set.add(value);
  }

  private unlink({ index, target, value }: Link): void {
    const set = this.reverse[index].get(target);
    if (!set) return;
    set.delete(value);
    if (set.size === 0) this.reverse[index].delete(target);
  }
}

const EMPTY: ReadonlySet<string> = new Set();

function linksOf(entity: SisEntity, id: string, data: object): Link[] {
  const org = (target: string): Link => ({ index: 'dependentsOfOrganisation', target, value: sisKey(entity, id) });
  switch (entity) {
    case 'organisation':
      return [];
    case 'person':
      return ((data as SisPerson).enrolments ?? []).map((e) => org(e.enroledAt.id));
    case 'duty': {
      const duty = data as SisDuty;
      return [{ index: 'dutiesOfPerson', target: duty.person.id, value: id }, org(duty.dutyAt.id)];
    }
    case 'group': {
      const group = data as SisGroup;
      const members = (group.groupMemberships ?? []).map(
        (m): Link => ({ index: 'groupsOfPerson', target: m.person.id, value: id }),
      );
      return [org(group.organisation.id), ...members];
    }
    case 'activity': {
      const activity = data as SisActivity;
      return [
        org(activity.organisation.id),
        ...(activity.groups ?? []).map((g): Link => ({ index: 'activitiesOfGroup', target: g.id, value: id })),
        ...(activity.teachers ?? []).map((t): Link => ({ index: 'activitiesOfDuty', target: t.duty.id, value: id })),
      ];
    }
    default: {
      const unknown: never = entity;
      throw new Error(`unknown SIS entity ${String(unknown)}`);
    }
  }
}
