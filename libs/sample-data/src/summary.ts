import type { MunicipalityPlan } from './plan.js';

export interface EntityCounts {
  persons: number;
  duties: number;
  groups: number;
  activities: number;
}

export interface MunicipalitySummary {
  source: string;
  /** What the SIS events hold. */
  counts: EntityCounts & {
    events: number;
    organisations: number;
    schoolUnits: number;
    pupils: number;
    staff: number;
    klassGroups: number;
    undervisningGroups: number;
    otherGroups: number;
  };
  /** What Skolverket should end up holding once everything is sent and accepted. */
  expected: EntityCounts;
}

/**
 * Worked out from the plan, not by inspecting events: every regular pupil has one current sendable enrolment,
 * every regular staff member a `Skola personal` email and current duties, every Klass group is current, and
 * every teaching group is used by exactly one activity with a national test (some classes too). The invalid cases add
 * objects to `counts` only.
 */
export function summarize(plan: MunicipalityPlan): MunicipalitySummary {
  const invalid = plan.options.includeInvalid ? 1 : 0;
  const schoolUnits = plan.options.schools.length;
  const pupils = plan.options.pupils;
  const klassGroups = plan.pupils.classes.length;
  const teachingGroups = plan.pupils.teachingGroups.length;
  const regular: EntityCounts = {
    persons: pupils + plan.staff.staffCount,
    duties: plan.staff.duties.length,
    groups: klassGroups + teachingGroups,
    activities: teachingGroups + plan.classActivities.length,
  };
  const counts = {
    organisations: 1 + schoolUnits,
    schoolUnits,
    pupils: pupils + invalid,
    staff: plan.staff.staffCount + invalid,
    persons: regular.persons + 2 * invalid,
    duties: regular.duties + invalid,
    groups: regular.groups + invalid,
    klassGroups,
    undervisningGroups: teachingGroups,
    otherGroups: invalid,
    activities: regular.activities,
    events: 0,
  };
  counts.events = counts.organisations + counts.persons + counts.duties + counts.groups + counts.activities;
  return { source: plan.source, counts, expected: regular };
}
