import type { ObjectType } from '@provsync/skolverket-api';
import { hashBody } from '../desired-state/canonical-hash.js';
import type { ObjectRef } from '../sync/sync-events.js';
import type { HeldObject } from './reconcile-events.js';

/** Fields Skolverket adds to what it stores: not part of what provsync sends. */
const SKOLVERKET_OWN = new Set(['meta', 'provisioningStatus']);

/** An object as a read endpoint returned it, reduced to what the sync compares: id, body hash, references. */
export function heldObject(type: ObjectType, shown: Record<string, unknown>): HeldObject {
  const body: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(shown)) if (!SKOLVERKET_OWN.has(name)) body[name] = value;
  return { id: String(shown.id), hash: hashBody(body), refs: refsOf(type, shown) };
}

/** A held object whose content was not read (see HeldObject). */
export const unreadObject = (id: string): HeldObject => ({ id, hash: '', refs: [] });

/** What the object refers to, as the desired state's rules name it: Skolverket deletes in the reverse order. */
function refsOf(type: ObjectType, shown: Record<string, unknown>): ObjectRef[] {
  switch (type) {
    case 'person':
      return [];
    case 'duty':
      return idsAt([shown.person], []).map((id) => ({ type: 'person', id }));
    case 'group':
      return idsAt(shown.groupMemberships, ['person']).map((id) => ({ type: 'person', id }));
    case 'activity':
      return [
        ...idsAt(shown.groups, []).map((id) => ({ type: 'group' as const, id })),
        ...idsAt(shown.teachers, ['duty']).map((id) => ({ type: 'duty' as const, id })),
      ];
    default: {
      const exhaustive: never = type;
      return exhaustive;
    }
  }
}

/** The `id` of each item of `list`, reached through `path` (`[{person: {id}}]` → path ['person']). */
function idsAt(list: unknown, path: readonly string[]): string[] {
  if (!Array.isArray(list)) return [];
  const ids: string[] = [];
  for (const item of list) {
    let at: unknown = item;
    for (const step of [...path, 'id']) at = at !== null && typeof at === 'object' ? (at as Record<string, unknown>)[step] : undefined;
    if (typeof at === 'string') ids.push(at);
  }
  return ids;
}
