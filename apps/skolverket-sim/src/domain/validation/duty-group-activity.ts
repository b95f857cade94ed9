import { objectProblems as P } from '../log-entries.js';
import type { Checker } from './checker.js';
import { ACCEPTED_GROUP_TYPES, ACTIVITY_TYPES, DUTY_ROLES, GROUP_TYPES, SCHOOL_TYPES, STAFF_EMAIL_TYPE } from './enums.js';

export function checkDuty(duty: Record<string, unknown>, c: Checker): void {
  const personId = c.reference(duty, 'person', '', true);
  const person = personId ? c.ctx.store.find('person', personId, c.ctx.organisationNumber) : undefined;
  if (personId && !person) c.add(P.personMissing('person.id', personId));
  // Staff must carry a "Skola personal" email, so a duty cannot be stored for a person without one.
  if (person && !hasStaffEmail(person)) c.add(P.staffEmailMissing('person.id'));
  const unitId = c.reference(duty, 'dutyAt', '', true);
  if (unitId) c.ownSchoolUnit(unitId, 'dutyAt.id');
  c.oneOf(duty, 'dutyRole', '', DUTY_ROLES, true);
}

export function hasStaffEmail(person: Record<string, unknown>): boolean {
  return Array.isArray(person.emails) && person.emails.some((e) => (e as { type?: unknown } | null)?.type === STAFF_EMAIL_TYPE);
}

/** Returns the group members that exist; the missing ones get a Warning and are left out. */
export function checkGroup(group: Record<string, unknown>, c: Checker): Array<{ person: { id: string } }> | undefined {
  c.string(group, 'displayName', '', true);
  const groupType = c.oneOf(group, 'groupType', '', GROUP_TYPES, true);
  if (groupType && !ACCEPTED_GROUP_TYPES.includes(groupType)) {
    c.add(P.notAccepted('groupType', groupType, 'endast grupper av typen Klass och Undervisning tas emot'));
  }
  const schoolType = c.oneOf(group, 'schoolType', '', SCHOOL_TYPES, true);
  const unitId = c.reference(group, 'organisation', '', true);
  const unit = unitId ? c.ownSchoolUnit(unitId, 'organisation.id') : undefined;
  if (unit && schoolType) c.schoolTypeAt(unit, schoolType, 'schoolType');

  const list = c.array(group, 'groupMemberships', '', false);
  if (!list) return undefined;
  const kept = new Map<string, { person: { id: string } }>();
  for (const { item, path } of c.items(list, '', 'groupMemberships')) {
    const personId = c.reference(item, 'person', path, true);
    if (!personId || kept.has(personId)) continue;
    if (c.ctx.store.find('person', personId, c.ctx.organisationNumber)) kept.set(personId, { person: { id: personId } });
    else c.add(P.memberMissing(`${path}.person.id`, personId));
  }
  return [...kept.values()];
}

export function checkActivity(activity: Record<string, unknown>, c: Checker): void {
  const org = c.ctx.organisationNumber;
  c.string(activity, 'displayName', '', true);
  const activityType = c.oneOf(activity, 'activityType', '', ACTIVITY_TYPES, true);
  if (activityType && activityType !== 'Undervisning') {
    c.add(P.notAccepted('activityType', activityType, 'endast aktiviteter av typen Undervisning tas emot'));
  }
  const groups = c.array(activity, 'groups', '', true);
  if (groups && groups.length !== 1) c.add(P.groupCount('groups', groups.length));
  else if (groups) {
    const groupId = c.uuid(c.record(groups[0], 'groups[0]')?.id, 'groups[0].id');
    if (groupId && !c.ctx.store.find('group', groupId, org)) c.add(P.groupMissing('groups[0].id', groupId));
  }
  for (const { item, path } of c.items(c.array(activity, 'teachers', '', false), '', 'teachers')) {
    const dutyId = c.reference(item, 'duty', path, true);
    if (dutyId && !c.ctx.store.find('duty', dutyId, org)) c.add(P.dutyMissing(`${path}.duty.id`, dutyId));
  }
  const unitId = c.reference(activity, 'organisation', '', true);
  if (unitId) c.ownSchoolUnit(unitId, 'organisation.id');
  const parentId = c.reference(activity, 'parentActivity', '', true);
  if (parentId && !c.ctx.reference.activityById(parentId)) c.add(P.testActivityUnknown('parentActivity.id', parentId));
}
