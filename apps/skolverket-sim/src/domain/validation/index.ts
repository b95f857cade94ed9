import type { ObjectType } from '@provsync/skolverket-api';
import { objectProblems as P } from '../log-entries.js';
import { Checker, type ValidationContext, type Validated } from './checker.js';
import { checkActivity, checkDuty, checkGroup } from './duty-group-activity.js';
import { checkPerson } from './person.js';
import { SHAPES, sanitize } from './shapes.js';

export type { StoreView, ValidationContext, Validated } from './checker.js';

/**
 * Validates one object of a bulk create or update against the official schema and provisioning-rules.md,
 * including its references to what is stored. The caller has checked that `object.id` is a UUID.
 */
export function validateObject(type: ObjectType, object: Record<string, unknown>, ctx: ValidationContext): Validated {
  const c = new Checker(ctx);
  const unknown: string[] = [];
  const value = sanitize(object, SHAPES[type], '', unknown) as Record<string, unknown>;
  for (const path of unknown) c.add(P.unknownAttribute(path));
  const id = String(object.id).toLowerCase();
  value.id = id;
  switch (type) {
    case 'person':
      checkPerson(value, id, c);
      break;
    case 'duty':
      checkDuty(value, c);
      break;
    case 'group': {
      const members = checkGroup(value, c);
      if (members) value.groupMemberships = members;
      break;
    }
    case 'activity':
      checkActivity(value, c);
      break;
    default: {
      const never: never = type;
      throw new Error(`unknown object type ${String(never)}`);
    }
  }
  return { problems: c.problems, value };
}
