import type { SisEntity } from '../sis/sis-change.js';

/** What the audit needs to know about objects other than the one that changed. */
export interface RelationLookup {
  /** The person a duty belongs to (its latest version), if the duty is known. */
  personOfDuty(dutyId: string): string | undefined;
  /** The members of a group (its latest version). */
  membersOfGroup(groupId: string): readonly string[];
}

type Obj = Record<string, unknown> | null | undefined;

const idOf = (ref: unknown): string | undefined =>
  typeof ref === 'object' && ref !== null && typeof (ref as { id?: unknown }).id === 'string' ? (ref as { id: string }).id : undefined;

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** Each member's membership as JSON, by person id: a member whose period changed counts as changed. */
function memberships(group: Obj): Map<string, string> {
  const byPerson = new Map<string, string>();
  for (const m of list(group?.groupMemberships)) {
    const id = idOf((m as { person?: unknown }).person);
    if (id) byPerson.set(id, JSON.stringify(m));
  }
  return byPerson;
}

/**
 * The persons a change to one SIS object concerns, for their history: the person itself; a duty's person; the
 * members a group change added, removed or changed (all members when the group itself changed, e.g. its name or
 * dates); for an activity, the persons of the teachers' duties and the members of the groups it added or removed
 * (all of them when the activity itself changed). Before and after are the object's versions (null: none).
 */
export function personsConcerned(entity: SisEntity, subject: string, before: Obj, after: Obj, lookup: RelationLookup): string[] {
  const persons = new Set<string>();
  switch (entity) {
    case 'organisation':
      break;
    case 'person':
      persons.add(subject);
      break;
    case 'duty':
      for (const version of [before, after]) {
        const id = idOf(version?.person);
        if (id) persons.add(id);
      }
      break;
    case 'group': {
      const [was, is] = [memberships(before), memberships(after)];
      const itself = !sameExcept(before, after, 'groupMemberships');
      for (const id of new Set([...was.keys(), ...is.keys()])) if (itself || was.get(id) !== is.get(id)) persons.add(id);
      break;
    }
    case 'activity': {
      const itself = !sameExcept(before, after, 'groups');
      const groupsWas = new Set(list(before?.groups).map(idOf));
      const groupsIs = new Set(list(after?.groups).map(idOf));
      for (const id of new Set([...groupsWas, ...groupsIs])) {
        if (id && (itself || groupsWas.has(id) !== groupsIs.has(id))) for (const p of lookup.membersOfGroup(id)) persons.add(p);
      }
      for (const version of [before, after]) {
        for (const teacher of list(version?.teachers)) {
          const person = lookup.personOfDuty(idOf((teacher as { duty?: unknown }).duty) ?? '');
          if (person) persons.add(person);
        }
      }
      break;
    }
    default: {
      const unknown: never = entity;
      throw new Error(`unknown SIS entity ${String(unknown)}`);
    }
  }
  return [...persons].sort();
}

function sameExcept(a: Obj, b: Obj, field: string): boolean {
  if (!a || !b) return false;
  const strip = (o: Record<string, unknown>) => JSON.stringify(Object.entries(o).filter(([k]) => k !== field).sort(([x], [y]) => (x < y ? -1 : 1)));
  return strip(a) === strip(b);
}

/** The person ids an object refers to right now, for later lookups: a duty's person, a group's members. */
export function membersOf(group: Obj): string[] {
  return [...memberships(group).keys()];
}
