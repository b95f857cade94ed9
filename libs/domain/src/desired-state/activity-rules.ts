import type { Activity } from '@provsync/skolverket-api';

import type { SisActivity } from '../sis/sis-objects.schema.js';
import { isCurrent, periodReason, periodStatus, periodTransitions } from './calendar.js';
import { groupOwnProblems } from './group-rules.js';
import { resolveSchoolUnit } from './resolve-school-unit.js';
import { derivedActivityId } from './uuid-v5.js';
import type { RuleContext, Transitions, Verdict } from './verdict.js';
import { listIds } from './verdict.js';

/** One Skolverket activity made from a SIS activity: one per group. */
export interface DerivedActivityVerdict extends Verdict<Activity> {
  id: string;
  groupId: string;
}

export interface ActivityVerdict {
  /** Why no Skolverket activity at all is made from it. */
  reasons: string[];
  notes: string[];
  derived: DerivedActivityVerdict[];
}

/** Skolverket takes exactly one group per activity: a SIS activity with several becomes one per group. */
export function skolverketActivityIds(activity: SisActivity): { id: string; groupId: string }[] {
  const groupIds = [...new Set((activity.groups ?? []).map((g) => g.id))];
  if (groupIds.length === 1) return [{ id: activity.id, groupId: groupIds[0]! }];
  return groupIds.map((groupId) => ({ id: derivedActivityId(activity.id, groupId), groupId }));
}

export function decideActivity(activity: SisActivity, ctx: RuleContext): ActivityVerdict {
  const reasons: string[] = [];
  if (activity.activityType !== 'Undervisning') {
    reasons.push(
      activity.activityType === undefined
        ? 'activityType is missing; only Undervisning activities are sent'
        : `activityType ${activity.activityType} is not sent (only Undervisning)`,
    );
  }
  const status = periodStatus(activity, ctx.today);
  if (status !== 'current') reasons.push(periodReason(status));
  const organisation = resolveSchoolUnit(activity.organisation.id, ctx);
  if ('problem' in organisation) reasons.push(`organisation: ${organisation.problem}`);
  const parent = resolveParentActivity(activity, ctx);
  if ('problem' in parent) reasons.push(parent.problem);
  const ids = skolverketActivityIds(activity);
  if (ids.length === 0) reasons.push('has no groups');

  const { teachers, notes } = currentTeachers(activity, ctx);
  const derived = ids.map(({ id, groupId }): DerivedActivityVerdict => {
    const groupReasons = [...reasons, ...groupProblems(groupId, ctx)];
    if (groupReasons.length > 0 || !('id' in organisation) || !('id' in parent)) {
      return { id, groupId, reasons: groupReasons, notes: [], refs: [] };
    }
    return {
      id,
      groupId,
      body: {
        id,
        displayName: activity.displayName,
        activityType: 'Undervisning',
        groups: [{ id: groupId }],
        teachers: teachers.map((dutyId) => ({ duty: { id: dutyId } })),
        organisation: { id: organisation.id },
        parentActivity: { id: parent.id },
      },
      refs: [{ type: 'group', id: groupId }, ...teachers.map((dutyId) => ({ type: 'duty' as const, id: dutyId }))],
      reasons: [],
      notes: [],
    };
  });
  return { reasons, notes, derived };
}

function groupProblems(groupId: string, ctx: RuleContext): string[] {
  const group = ctx.sis.groups.get(groupId);
  if (!group) return [`group ${groupId} is not known (no SIS group with this id)`];
  return groupOwnProblems(group, ctx).map((p) => `group ${groupId}: ${p}`);
}

function resolveParentActivity(activity: SisActivity, ctx: RuleContext): { id: string } | { problem: string } {
  const parent = activity.parentActivity;
  if (parent?.id !== undefined) {
    const test = ctx.reference.testActivitiesById.get(parent.id.toLowerCase());
    return test ? { id: test.id } : { problem: `parentActivity.id ${parent.id} is not a national-test activity in the open-data API` };
  }
  if (parent?.displayName !== undefined) {
    const test = ctx.reference.testActivitiesByName.get(parent.displayName);
    return test
      ? { id: test.id }
      : { problem: `parentActivity.displayName ${parent.displayName} is not a national-test activity in the open-data API` };
  }
  return { problem: 'has no parentActivity (national-test activity); activities without one are not sent' };
}

/** Current teacher assignments whose duties are sent; every teacher may see every pupil of the group. */
function currentTeachers(activity: SisActivity, ctx: RuleContext): { teachers: string[]; notes: string[] } {
  const teachers = new Set<string>();
  const notCurrent: string[] = [];
  const notSent: string[] = [];
  for (const assignment of activity.teachers ?? []) {
    const dutyId = assignment.duty.id;
    if (!isCurrent(assignment, ctx.today)) notCurrent.push(dutyId);
    else if (!ctx.isDutySent(dutyId)) notSent.push(dutyId);
    else teachers.add(dutyId);
  }
  const notes: string[] = [];
  if (notCurrent.length > 0) notes.push(`teachers left out because the assignment is not current: duties ${listIds(notCurrent)}`);
  if (notSent.length > 0) notes.push(`teachers left out because their duty is not sent: duties ${listIds(notSent)}`);
  return { teachers: [...teachers].sort(), notes };
}

export function activityTransitions(activity: SisActivity): Transitions {
  return [...periodTransitions(activity), ...(activity.teachers ?? []).flatMap(periodTransitions)];
}
