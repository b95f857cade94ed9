import type { Group, GroupType } from '@provsync/skolverket-api';

import type { SisGroup } from '../sis/sis-objects.schema.js';
import { isCurrent, periodReason, periodStatus, periodTransitions } from './calendar.js';
import { isSchoolType, SCHOOL_TYPES } from './enrolment-rules.js';
import { resolveSchoolUnit } from './resolve-school-unit.js';
import type { RuleContext, Transitions, Verdict } from './verdict.js';
import { listIds } from './verdict.js';

const GROUP_TYPES: readonly GroupType[] = ['Klass', 'Undervisning'];

/** What keeps a group from being sent or used by an activity, whatever its members and activities. */
export function groupOwnProblems(group: SisGroup, ctx: RuleContext): string[] {
  const problems: string[] = [];
  if (!GROUP_TYPES.includes(group.groupType as GroupType)) {
    problems.push(`groupType ${group.groupType} is not sent (only ${GROUP_TYPES.join(' and ')})`);
  }
  const status = periodStatus(group, ctx.today);
  if (status !== 'current') problems.push(periodReason(status));
  const resolved = resolveSchoolUnit(group.organisation.id, ctx);
  if ('problem' in resolved) problems.push(`organisation: ${resolved.problem}`);
  if (group.schoolType === undefined) problems.push('schoolType is missing; Skolverket requires it');
  else if (!isSchoolType(group.schoolType)) {
    problems.push(`school type ${group.schoolType} is not one Skolverket takes (${SCHOOL_TYPES.join(', ')})`);
  }
  return problems;
}

/**
 * A current Klass group at one of our school units is sent even with no members; an Undervisning group
 * only while an activity that is sent uses it. Members: current memberships of persons that are sent.
 */
export function decideGroup(group: SisGroup, ctx: RuleContext): Verdict<Group> {
  const reasons = groupOwnProblems(group, ctx);
  if (group.groupType === 'Undervisning' && !ctx.isGroupUsedBySentActivity(group.id)) {
    reasons.push('an Undervisning group is sent only when an activity that is sent uses it, and none does');
  }
  const members = new Set<string>();
  const notCurrent: string[] = [];
  const notSent: string[] = [];
  for (const membership of group.groupMemberships ?? []) {
    const personId = membership.person.id;
    if (!isCurrent(membership, ctx.today)) notCurrent.push(personId);
    else if (!ctx.isPersonSent(personId)) notSent.push(personId);
    else members.add(personId);
  }
  const notes: string[] = [];
  if (notCurrent.length > 0) notes.push(`memberships left out because they are not current: persons ${listIds(notCurrent)}`);
  if (notSent.length > 0) notes.push(`memberships left out because the person is not sent: persons ${listIds(notSent)}`);
  if (reasons.length > 0) return { reasons, notes, refs: [] };

  const personIds = [...members].sort();
  return {
    body: {
      id: group.id,
      displayName: group.displayName,
      groupType: group.groupType as GroupType,
      schoolType: group.schoolType as Group['schoolType'],
      organisation: { id: (resolveSchoolUnit(group.organisation.id, ctx) as { id: string }).id },
      groupMemberships: personIds.map((id) => ({ person: { id } })),
    },
    refs: personIds.map((id) => ({ type: 'person', id })),
    reasons,
    notes,
  };
}

export function groupTransitions(group: SisGroup): Transitions {
  const days = periodTransitions(group);
  for (const m of group.groupMemberships ?? []) {
    if (m.startDate !== undefined || m.endDate !== undefined) days.push(...periodTransitions(m));
  }
  return days;
}
