import type { OpenDataSchoolUnit } from '@provsync/skolverket-api';

import type { RuleContext } from './verdict.js';
import { schoolUnitUuid } from './uuid-v5.js';

export type SchoolUnitResolution = { unit: OpenDataSchoolUnit; id: string } | { problem: string };

/**
 * A SIS organisation id (or a Skolverket school-unit UUID given directly) → one of the organiser's
 * own school units at Skolverket.
 */
export function resolveSchoolUnit(orgId: string, ctx: RuleContext): SchoolUnitResolution {
  const organisation = ctx.sis.organisations.get(orgId);
  if (organisation) {
    const code = organisation.schoolUnitCode;
    if (code === undefined) {
      return {
        problem: `organisation ${orgId} has no schoolUnitCode (it is of type ${organisation.organisationType}, not a school unit)`,
      };
    }
    const unit = ctx.reference.schoolUnitsById.get(schoolUnitUuid(code));
    return unit ? { unit, id: unit.id } : { problem: `school unit code ${code} (organisation ${orgId}) is not one of the organiser's school units` };
  }
  const unit = ctx.reference.schoolUnitsById.get(orgId.toLowerCase());
  if (unit) return { unit, id: unit.id };
  return {
    problem: `organisation ${orgId} is unknown: no SIS organisation with this id, and not one of the organiser's school units`,
  };
}
