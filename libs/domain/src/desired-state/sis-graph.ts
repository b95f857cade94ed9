import type { SisEntity } from '../sis/sis-change.js';
import type {
  SisActivity,
  SisDuty,
  SisGroup,
  SisOrganisation,
  SisPerson,
} from '../sis/sis-objects.schema.js';
import { PackedRecords, type PackedRecordsState } from './packed-records.js';
import { ReverseIndex, type ReverseIndexState } from './reverse-index.js';

/** `${entity}:${sisId}`: one SIS object. */
export type SisKey = `${SisEntity}:${string}`;

export const sisKey = (entity: SisEntity, id: string): SisKey => `${entity}:${id}`;

export function parseSisKey(key: SisKey): { entity: SisEntity; id: string } {
  const colon = key.indexOf(':');
  return { entity: key.slice(0, colon) as SisEntity, id: key.slice(colon + 1) };
}

type ReverseIndexName = 'dutiesOfPerson' | 'groupsOfPerson' | 'activitiesOfDuty' | 'activitiesOfGroup';
type Dependent = Exclude<SisEntity, 'organisation'>;
const DEPENDENTS: readonly Dependent[] = ['person', 'duty', 'group', 'activity'];
interface ObjectsById {
  get(id: string): object | undefined;
  set(id: string, value: object): unknown;
  has(id: string): boolean;
  delete(id: string): boolean;
  keys(): IterableIterator<string>;
}
interface Link {
  /** A reverse index, or the entity whose objects refer to an organisation. */
  index: ReverseIndexName | Dependent;
  target: string;
  value: string;
}

/** The graph as plain data: the objects and the reverse indexes as they stand (nothing to re-derive). */
export interface SisGraphState {
  organisations: Map<string, SisOrganisation>;
  records: Record<Dependent, PackedRecordsState>;
  reverse: Record<ReverseIndexName | Dependent, ReverseIndexState>;
}

/**
 * The latest SIS object of every entity, with reverse indexes from each referenced id to the objects
 * that refer to it. Indexes hold ids even before the referenced object arrives, so its arrival
 * reaches everything that waited for it. Persons, duties, groups and activities are kept as JSON text
 * (see PackedRecords); the few organisations as objects.
 */
export class SisGraph {
  readonly organisations: Map<string, SisOrganisation>;
  readonly persons: PackedRecords<SisPerson>;
  readonly duties: PackedRecords<SisDuty>;
  readonly groups: PackedRecords<SisGroup>;
  readonly activities: PackedRecords<SisActivity>;
  /** The reverse indexes, and per entity: organisation id → ids of that entity's objects that refer to it. */
  private readonly reverse: Record<ReverseIndexName | Dependent, ReverseIndex>;

  constructor(state?: SisGraphState) {
    this.organisations = state ? new Map(state.organisations) : new Map();
    const records = <T extends object>(entity: Dependent) =>
      state ? PackedRecords.fromState<T>(state.records[entity]) : new PackedRecords<T>();
    this.persons = records<SisPerson>('person');
    this.duties = records<SisDuty>('duty');
    this.groups = records<SisGroup>('group');
    this.activities = records<SisActivity>('activity');
    const index = (name: ReverseIndexName | Dependent) => (state ? ReverseIndex.fromState(state.reverse[name]) : new ReverseIndex());
    this.reverse = {
      dutiesOfPerson: index('dutiesOfPerson'),
      groupsOfPerson: index('groupsOfPerson'),
      activitiesOfDuty: index('activitiesOfDuty'),
      activitiesOfGroup: index('activitiesOfGroup'),
      person: index('person'),
      duty: index('duty'),
      group: index('group'),
      activity: index('activity'),
    };
  }

  /** The graph as plain data (live: serialise it before changing the graph). */
  exportState(): SisGraphState {
    const reverse = {} as SisGraphState['reverse'];
    for (const [name, index] of Object.entries(this.reverse)) reverse[name as ReverseIndexName | Dependent] = index.exportState();
    return {
      organisations: this.organisations,
      records: {
        person: this.persons.exportState(),
        duty: this.duties.exportState(),
        group: this.groups.exportState(),
        activity: this.activities.exportState(),
      },
      reverse,
    };
  }

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
    const store = this.store(entity);
    const before = store.get(id);
    if (before) for (const link of linksOf(entity, id, before)) this.reverse[link.index].remove(link.target, link.value);
    if (data) {
      store.set(id, data);
      for (const link of linksOf(entity, id, data)) this.reverse[link.index].add(link.target, link.value);
    } else {
      store.delete(id);
    }
    return before;
  }

  /** Lets go of the SIS objects parsed lately (their text stays): once a batch of changes is evaluated. */
  release(): void {
    for (const records of [this.persons, this.duties, this.groups, this.activities]) records.release();
  }

  dutiesOfPerson = (personId: string): Iterable<string> => this.reverse.dutiesOfPerson.of(personId);
  groupsOfPerson = (personId: string): Iterable<string> => this.reverse.groupsOfPerson.of(personId);
  activitiesOfDuty = (dutyId: string): Iterable<string> => this.reverse.activitiesOfDuty.of(dutyId);
  activitiesOfGroup = (groupId: string): Iterable<string> => this.reverse.activitiesOfGroup.of(groupId);

  /** Persons (by enrolment), duties, groups and activities that refer to this organisation id. */
  *dependentsOfOrganisation(orgId: string): Iterable<SisKey> {
    for (const entity of DEPENDENTS) for (const id of this.reverse[entity].of(orgId)) yield sisKey(entity, id);
  }

  countDependentsOfOrganisation(orgId: string): number {
    return DEPENDENTS.reduce((sum, entity) => sum + this.reverse[entity].count(orgId), 0);
  }

  keys(entity: SisEntity): IterableIterator<string> {
    return this.store(entity).keys();
  }

  private store(entity: SisEntity): ObjectsById {
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
}

function linksOf(entity: SisEntity, id: string, data: object): Link[] {
  if (entity === 'organisation') return [];
  const org = (target: string): Link => ({ index: entity, target, value: id });
  switch (entity) {
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
