import type { Duty, DutyRole } from '@provsync/skolverket-api';

import type { SisDuty } from '../sis/sis-objects.schema.js';
import { periodReason, periodStatus, periodTransitions } from './calendar.js';
import { hasStaffEmail, NO_STAFF_EMAIL, personIdentityProblems } from './person-identity.js';
import { resolveSchoolUnit } from './resolve-school-unit.js';
import type { RuleContext, Transitions, Verdict } from './verdict.js';

export const DUTY_ROLES: readonly DutyRole[] = [
  'Rektor',
  'Lärare',
  'Förskollärare',
  'Barnskötare',
  'Bibliotekarie',
  'Lärarassistent',
  'Fritidspedagog',
  'Annan personal',
  'Studie- och yrkesvägledare',
  'Förstelärare',
  'Kurator',
  'Skolsköterska',
  'Skolläkare',
  'Skolpsykolog',
  'Speciallärare/specialpedagog',
  'Skoladministratör',
  'Övrig arbetsledning',
];

const isDutyRole = (value: string): value is DutyRole => DUTY_ROLES.includes(value as DutyRole);

/** What keeps a duty from being sent on its own account (its person aside). */
export function dutyOwnProblems(duty: SisDuty, ctx: RuleContext): string[] {
  const problems: string[] = [];
  const status = periodStatus(duty, ctx.today);
  if (status !== 'current') problems.push(periodReason(status));
  const resolved = resolveSchoolUnit(duty.dutyAt.id, ctx);
  if ('problem' in resolved) problems.push(`dutyAt: ${resolved.problem}`);
  if (!isDutyRole(duty.dutyRole)) problems.push(`dutyRole ${duty.dutyRole} is not one of Skolverket's duty roles`);
  return problems;
}

/** Duty is sent when it is current, at one of our school units, of a known role, and its person can be sent as staff. */
export function decideDuty(duty: SisDuty, ctx: RuleContext): Verdict<Duty> {
  const reasons = dutyOwnProblems(duty, ctx);
  const personId = duty.person.id;
  const person = ctx.sis.persons.get(personId);
  if (!person) reasons.push(`person ${personId} is not known (no SIS person with this id)`);
  else {
    const identity = personIdentityProblems(person, ctx.today);
    if (identity.length > 0) reasons.push(`its person ${personId} cannot be sent: ${identity.join('; ')}`);
    if (!hasStaffEmail(person)) reasons.push(NO_STAFF_EMAIL);
  }
  if (reasons.length > 0) return { reasons, notes: [], refs: [] };
  const resolved = resolveSchoolUnit(duty.dutyAt.id, ctx) as { id: string };
  return {
    body: { id: duty.id, person: { id: personId }, dutyAt: { id: resolved.id }, dutyRole: duty.dutyRole as DutyRole },
    refs: [{ type: 'person', id: personId }],
    reasons,
    notes: [],
  };
}

export const dutyTransitions = (duty: SisDuty): Transitions => periodTransitions(duty);
